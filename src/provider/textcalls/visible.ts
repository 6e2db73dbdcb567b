/**
 * Whitespace clean-up of the visible text left once calls are removed, written as a stream so the
 * whole-text parser and the stream parser produce identical text: leading and trailing whitespace is
 * dropped, and a whitespace run holding three or more newlines (what a removed call leaves behind)
 * becomes one blank line, keeping the indentation after its last newline.
 */
export class VisibleText {
  private started = false;
  private pendingWs = "";

  /** Adds raw visible text; returns the cleaned text that can be shown now (trailing whitespace is held). */
  push(text: string): string {
    const n = text.length;
    let s = 0;
    while (s < n && isWhitespace(text.charCodeAt(s))) s++;
    if (s === n) {
      this.pendingWs += text;
      return "";
    }
    let e = n;
    while (e > s && isWhitespace(text.charCodeAt(e - 1))) e--;
    let out = "";
    if (this.started) out += collapse(this.pendingWs + text.slice(0, s));
    this.started = true;
    out += collapseInner(text.slice(s, e));
    this.pendingWs = text.slice(e);
    return out;
  }

  /** Ends the text: held trailing whitespace is dropped. Returns "" (kept for symmetry with push). */
  end(): string {
    this.pendingWs = "";
    return "";
  }
}

/** Whitespace holding three newlines: where a run to collapse may be. */
const THREE_NEWLINES = /\n[^\S\n]*\n[^\S\n]*\n/g;

/** `collapse` applied to every whitespace run of `text` (which starts and ends with non-whitespace). */
function collapseInner(text: string): string {
  THREE_NEWLINES.lastIndex = 0;
  let out = "";
  let last = 0;
  for (let m = THREE_NEWLINES.exec(text); m !== null; m = THREE_NEWLINES.exec(text)) {
    let a = m.index;
    while (a > last && isWhitespace(text.charCodeAt(a - 1))) a--;
    let b = THREE_NEWLINES.lastIndex;
    while (b < text.length && isWhitespace(text.charCodeAt(b))) b++;
    out += text.slice(last, a) + collapse(text.slice(a, b));
    last = b;
    THREE_NEWLINES.lastIndex = b;
  }
  return last === 0 ? text : out + text.slice(last);
}

function collapse(ws: string): string {
  const newlines = ws.split("\n").length - 1;
  if (newlines < 3) return ws;
  return `\n\n${ws.slice(ws.lastIndexOf("\n") + 1)}`;
}

/** True for the characters `\s` matches in a JavaScript regular expression. */
function isWhitespace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 5760 ||
    (c >= 8192 && c <= 8202) ||
    c === 8232 ||
    c === 8233 ||
    c === 8239 ||
    c === 8287 ||
    c === 12288 ||
    c === 65279
  );
}
