/** fs_read's line prefix: a right-aligned number and a tab. */
const READ_PREFIX = /^ *\d+\t/;
/** fs_grep's / grep -n's line prefix: `path:line:`. */
const GREP_PREFIX = /^[^\s:][^:\n]*:\d+:/;

/**
 * `text` without the line prefixes a model copied from fs_read (`     3\t`) or fs_grep (`src/a.js:3:`) output,
 * when every non-empty line carries the same kind of prefix; undefined when they do not (the text is then taken
 * as it is). Small models paste tool output into fs_write and fs_edit (issue 8: `stats.js:6:/** …` written into
 * stats.js); the prefixes are never meant to be file content.
 */
export function stripLinePrefixes(text: string): string | undefined {
  const lines = text.split("\n");
  const filled = lines.filter((l) => l.trim() !== "");
  if (filled.length === 0) return undefined;
  for (const prefix of [READ_PREFIX, GREP_PREFIX]) {
    if (filled.every((l) => prefix.test(l))) return lines.map((l) => l.replace(prefix, "")).join("\n");
  }
  return undefined;
}
