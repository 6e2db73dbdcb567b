/**
 * Run-length encodes a string: each run of 2 or more equal characters becomes the count followed by the
 * character; single characters are kept as they are.
 * encode("WWWWBBBW") → "4W3BW", encode("") → "", encode("ab") → "ab".
 * The input never contains digits.
 */
export function encode(text) {
  throw new Error("not implemented");
}

/**
 * Reverses encode: decode("4W3BW") → "WWWWBBBW". Counts may have several digits ("12A").
 */
export function decode(text) {
  throw new Error("not implemented");
}
