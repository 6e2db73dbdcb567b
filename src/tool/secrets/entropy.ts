/**
 * Shannon entropy of `text` in bits per character (0 for ""), over its UTF-16 code units: the measure gitleaks and
 * truffleHog use to tell random keys (≈ 4–6 bits/char) from words and identifiers (≈ 2.5–3.5).
 */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
