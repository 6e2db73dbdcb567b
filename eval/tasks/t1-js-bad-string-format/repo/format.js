/** Formats an amount in cents as dollars, e.g. 1205 → "$12.05". */
export function formatPrice(cents) {
  const dollars = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, "0");
  return `$${dollars},${rest}`;
}

/** Formats a count with its noun, pluralised with "s": (1, "item") → "1 item". */
export function pluralize(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** One receipt line: "2 items: $3.50". */
export function receiptLine(count, cents) {
  return `${pluralize(count, "item")}: ${formatPrice(cents)}`;
}
