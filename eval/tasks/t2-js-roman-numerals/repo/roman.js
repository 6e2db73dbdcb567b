/**
 * Converts an integer from 1 to 3999 to a Roman numeral, using the subtractive forms
 * (IV, IX, XL, XC, CD, CM): 4 → "IV", 1994 → "MCMXCIV".
 * Throws a RangeError for anything else (0, negative, 4000 and above, non-integers).
 */
export function toRoman(n) {
  throw new Error("not implemented");
}

/**
 * Converts a valid upper-case Roman numeral back to its integer value: "XLII" → 42.
 */
export function fromRoman(text) {
  throw new Error("not implemented");
}
