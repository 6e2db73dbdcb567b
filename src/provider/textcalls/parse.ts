/**
 * Whole-text tool-call parsing for models that print calls as text (issue 3, "Text tool calls and
 * repair"; issue 14, every format local models and servers emit). The formats recognised are listed in
 * scan.ts and formats/markers.ts.
 */
import type { ParsedCall } from "./calls.ts";
import { initialScanState, scanText } from "./scan.ts";
import { VisibleText } from "./visible.ts";

export type { ParsedCall } from "./calls.ts";

/** Calls parsed from one model output, and the visible text with the calls removed. */
export interface ParsedToolCalls {
  /** Calls in text order; `name` is a known tool name, `arguments` JSON text (repaired, re-serialised). */
  calls: ParsedCall[];
  /** The text with the call syntax removed, trimmed, blank-line runs left by removed calls collapsed. */
  text: string;
}

/**
 * Parses the tool calls printed in `text`, in text order, in every format scan.ts lists. Only calls
 * whose name resolves (see names.ts) to one of `known` count; any other JSON or markup stays in the
 * visible text. `cut`: the text was cut off (max tokens), so a call unterminated at its end is partial
 * and not returned. Never throws. Gives the same calls and text as feeding `text` through
 * `TextToolCallStream` in any chunking (and `end({ cut })`).
 */
export function parseToolCalls(text: string, known: string[], opts: { cut?: boolean } = {}): ParsedToolCalls {
  const result = scanText(text, initialScanState(), known, true, opts.cut === true);
  const visible = new VisibleText();
  let out = "";
  for (const piece of result.pieces) out += visible.push(piece);
  out += visible.end();
  return { calls: result.calls, text: out };
}
