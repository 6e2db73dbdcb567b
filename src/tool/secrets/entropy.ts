/** Per-character counts for ASCII, reused between calls (entropy runs once per candidate value). */
const ascii = new Int32Array(128);

/**
 * Shannon entropy of `text` in bits per character (0 for ""), over its UTF-16 code units: the measure gitleaks and
 * truffleHog use to tell random keys (≈ 4–6 bits/char) from words and identifiers (≈ 2.5–3.5).
 */
export function shannonEntropy(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  let other: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) ascii[c]!++;
    else {
      other ??= new Map();
      other.set(c, (other.get(c) ?? 0) + 1);
    }
  }
  let bits = 0;
  const add = (count: number) => {
    const p = count / n;
    bits -= p * Math.log2(p);
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && ascii[c]! > 0) {
      add(ascii[c]!);
      ascii[c] = 0;
    }
  }
  if (other) for (const count of other.values()) add(count);
  return bits;
}
