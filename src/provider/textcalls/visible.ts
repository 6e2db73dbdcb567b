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
    let out = "";
    for (const match of text.matchAll(/(\s+)|(\S+)/g)) {
      if (match[1] !== undefined) {
        this.pendingWs += match[1];
        continue;
      }
      if (this.started) out += collapse(this.pendingWs);
      this.pendingWs = "";
      this.started = true;
      out += match[2];
    }
    return out;
  }

  /** Ends the text: held trailing whitespace is dropped. Returns "" (kept for symmetry with push). */
  end(): string {
    this.pendingWs = "";
    return "";
  }
}

function collapse(ws: string): string {
  const newlines = ws.split("\n").length - 1;
  if (newlines < 3) return ws;
  return `\n\n${ws.slice(ws.lastIndexOf("\n") + 1)}`;
}
