/**
 * Incremental tool-call parsing over streamed text.
 */
import type { ParsedCall } from "./calls.ts";
import { initialScanState, type ScanState, scanText } from "./scan.ts";
import { VisibleText } from "./visible.ts";

export type { ParsedCall } from "./calls.ts";

/** Held text (characters) from which a rescan waits for a character that can close a call. */
const RESCAN_SKIP_MIN_HELD = 256;
/** Characters that can end a held call region: closing brackets, tag ends, fences, newlines. */
const RESOLVING_CHARS = /[}\]>`\n]/;
/** Held text (characters) from which rescans wait for the held text to grow by RESCAN_GROWTH. */
const RESCAN_GROWTH_FROM = 4096;
/** Growth factor of the held text between rescans of a large held region (amortised linear cost). */
const RESCAN_GROWTH = 1.1;

/** What one `push` or `end` releases: visible text to show now and calls completed so far. */
export interface StreamChunkResult {
  text: string;
  calls: ParsedCall[];
}

/**
 * Parses tool calls out of streamed model text. Visible text is released promptly; text that may be
 * the start of a call (after `<tool_call>`, `[TOOL_CALLS]`, `<|python_tag|>`, `<function=`, a ``` fence
 * of a call language, a `{`/`[` or `functools[` starting a line, or a partial marker at the end of a chunk) is held
 * until it is resolved, so streamed text is cleaned of calls like final text. Trailing whitespace is
 * held until more text follows. The concatenated output of all `push` calls and `end` equals
 * `parseToolCalls` on the whole text (same scanner, see scan.ts).
 * Memory: holds at most the unresolved suffix of the text. Cost: amortised linear in the text length
 * (a held region past 4 KB is rescanned only after growing by 10%, so a large call is released up to
 * 10% of its length late, or at `end()`).
 */
export class TextToolCallStream {
  private readonly known: string[];
  private buffer = "";
  private state: ScanState = initialScanState();
  private readonly visible = new VisibleText();
  private ended = false;
  /** Length of the held text right after the last scan (characters). */
  private heldAfterScan = 0;

  /** `known`: the names of the tools offered to the model. */
  constructor(known: string[]) {
    this.known = [...known];
  }

  /** Adds a text delta. Throws if called after `end()`. */
  push(delta: string): StreamChunkResult {
    if (this.ended)
      throw new Error("TextToolCallStream.push called after end(); create a new stream per response");
    const held = this.buffer.length;
    this.buffer += delta;
    // While a call is being written the held text is rescanned from its start; to keep a big call
    // from costing quadratic time, a held region rescans only on a character that can close it, and
    // past RESCAN_GROWTH_FROM only after growing by RESCAN_GROWTH. Skipping only delays release: the
    // scanner's decisions do not depend on where the text was cut, and end() always scans.
    if (held >= RESCAN_GROWTH_FROM) {
      if (this.buffer.length < this.heldAfterScan * RESCAN_GROWTH) return { text: "", calls: [] };
    } else if (held >= RESCAN_SKIP_MIN_HELD && !RESOLVING_CHARS.test(delta)) {
      return { text: "", calls: [] };
    }
    return this.drain(false);
  }

  /**
   * Ends the text: resolves what is held and returns the rest. Unterminated calls are closed (repaired)
   * unless `cut` says the output was cut off (max tokens, an aborted stream): then a call still
   * unterminated at the end is partial, is not returned, and its text is released as visible text.
   */
  end(opts: { cut?: boolean } = {}): StreamChunkResult {
    if (this.ended) return { text: "", calls: [] };
    const result = this.drain(true, opts.cut === true);
    this.ended = true;
    return { text: result.text + this.visible.end(), calls: result.calls };
  }

  private drain(final: boolean, cut = false): StreamChunkResult {
    const result = scanText(this.buffer, this.state, this.known, final, cut);
    this.buffer = this.buffer.slice(result.consumed);
    this.heldAfterScan = this.buffer.length;
    this.state = result.state;
    let text = "";
    for (const piece of result.pieces) text += this.visible.push(piece);
    return { text, calls: result.calls };
  }
}
