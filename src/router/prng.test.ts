import { describe, expect, it } from "vitest";
import { mulberry32, sampleBeta, sampleGamma } from "./prng.ts";

describe("prng", () => {
  it("repeats under a seed and differs across seeds", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("samples gamma and beta with the right means", () => {
    const r = mulberry32(7);
    const n = 20_000;
    let g = 0;
    let g2 = 0;
    let be = 0;
    for (let i = 0; i < n; i++) {
      g += sampleGamma(3, r);
      g2 += sampleGamma(0.5, r);
      be += sampleBeta(2, 6, r);
    }
    expect(g / n).toBeCloseTo(3, 1);
    expect(g2 / n).toBeCloseTo(0.5, 1);
    expect(be / n).toBeCloseTo(0.25, 2);
  });
});
