/** Sum of an array of numbers. */
export function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}

/** Arithmetic mean; NaN for an empty array. */
export function mean(values) {
  return sum(values) / values.length;
}

/** Difference between the largest and the smallest value. */
export function range(values) {
  const max = Math.max(...values);
  const min = Math.min(...values);
  return max + min;
}

/** Middle value of the sorted array (mean of the two middle values for even lengths). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid];
}
