/** Shortens `text` to at most `max` characters, ending with "…" when cut. */
export function truncate(text, max = 10) {
  if (text.length <= max) return text;
  return text.slice(0, max - 1) + "…";
}

/** Upper-cases the first letter. */
export function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Number of whitespace-separated words. */
export function wordCount(text) {
  return text.split(/\s+/).filter(Boolean).length;
}
