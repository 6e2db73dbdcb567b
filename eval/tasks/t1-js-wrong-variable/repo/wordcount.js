/** Counts each lower-cased word of `text`: { word: count }. */
export function countWords(text) {
  const counts = {};
  for (const word of text.toLowerCase().match(/[a-z']+/g) ?? []) {
    counts[word] = (counts[word] ?? 0) + 1;
  }
  return counts;
}

/** Adds two count objects into a new one. */
export function mergeCounts(a, b) {
  const result = { ...a };
  for (const key of Object.keys(b)) {
    result[key] = (result[key] ?? 0) + a[key];
  }
  return result;
}

/** The `n` most frequent words, most frequent first (ties in alphabetical order). */
export function topWords(counts, n) {
  return Object.entries(counts)
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .slice(0, n)
    .map(([word]) => word);
}
