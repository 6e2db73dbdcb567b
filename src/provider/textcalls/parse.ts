/**
 * Whole-text tool-call parsing for models that print calls as text (issue 3, "Text tool calls and
 * repair"). The formats recognised are listed in scan.ts.
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
 * Parses the tool calls printed in `text`. Only calls whose name resolves (see names.ts) to one of
 * `known` count; any other JSON or markup stays in the visible text. Never throws.
 * Gives the same calls and text as feeding `text` through `TextToolCallStream` in any chunking.
 */
export function parseToolCalls(text: string, known: string[]): ParsedToolCalls {
  const result = scanText(text, initialScanState(), known, true);
  const visible = new VisibleText();
  let out = "";
  for (const piece of result.pieces) out += visible.push(piece);
  out += visible.end();
  return { calls: result.calls, text: out };
}
