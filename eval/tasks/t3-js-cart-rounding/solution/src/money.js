/** Converts a dollar amount (a number such as 19.99) to whole cents. */
export function toCents(amount) {
  return Math.round(amount * 100);
}

/** Formats cents as dollars, e.g. 1234 → "$12.34", -5 → "-$0.05". */
export function formatCents(cents) {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}$${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** `percent` % of an amount in cents, rounded to the nearest cent. */
export function percentOf(cents, percent) {
  return Math.round((cents * percent) / 100);
}
