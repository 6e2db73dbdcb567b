/**
 * Seeded randomness for reproducible routing: mulberry32 uniforms, Box–Muller normals, Marsaglia–Tsang
 * gamma variates and beta variates as a ratio of gammas.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit-state PRNG, fast and good enough for sampling.
 * The same seed always gives the same sequence.
 */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal variate (Box–Muller). */
export function sampleNormal(rand: Random): number {
  let u = 0;
  while (u === 0) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/**
 * A Gamma(shape, 1) variate, shape > 0: Marsaglia & Tsang (2000) for shape ≥ 1, and the boost
 * Gamma(shape + 1)·U^(1/shape) for shape < 1.
 */
export function sampleGamma(shape: number, rand: Random): number {
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rand();
    return sampleGamma(shape + 1, rand) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rand();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(alpha, beta) variate in [0, 1], alpha, beta > 0. */
export function sampleBeta(alpha: number, beta: number, rand: Random): number {
  const x = sampleGamma(alpha, rand);
  const y = sampleGamma(beta, rand);
  return x + y === 0 ? 0.5 : x / (x + y);
}
