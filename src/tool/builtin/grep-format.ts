/** Match formatting and pattern compilation shared by both grep engines and the JS engine's worker. */

/** Matched line text longer than this is cut (both engines), so one minified line cannot flood the context. */
export const GREP_MAX_LINE_CHARS = 500;

/** Formats one match the same way for both engines. */
export function formatMatch(rel: string, lineNumber: number, text: string): string {
  let line = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (line.length > GREP_MAX_LINE_CHARS) line = `${line.slice(0, GREP_MAX_LINE_CHARS)}… [line truncated]`;
  return `${rel}:${lineNumber}:${line}`;
}

/**
 * Compiles a search pattern as a JS RegExp. A leading `(?i)` (Rust/Go/PCRE inline flag, which ripgrep
 * accepts and models often write) becomes the `i` flag. Throws `SyntaxError` for an invalid pattern.
 */
export function compileRegex(pattern: string): RegExp {
  if (pattern.startsWith("(?i)")) return new RegExp(pattern.slice(4), "i");
  return new RegExp(pattern);
}
