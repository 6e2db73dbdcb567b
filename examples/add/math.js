/** Sum of two numbers. */
export function add(a, b) {
  return a - b;
}

/** Product of two numbers. */
export function multiply(a, b) {
  return a * b;
}
