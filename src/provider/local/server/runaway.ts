/**
 * Runaway detection on what a local server streams, for the rounds the engine's repetition detector cannot
 * see: it ignores mostly-whitespace patterns and patterns longer than 120 characters, and knows nothing of
 * forced rounds. Seen with Qwen2.5-Coder-1.5B on llama-server (issue 16): one line of prose, then thousands
 * of newlines, or the same fenced JSON block again and again, until killed.
 */

/** Why a round was cut. */
export type RunawayReason = "whitespace" | "repeated_block" | "no_call" | "generation_time";

/** A detector trip: the reason and a one-line description for logs and the user. */
export interface RunawayTrip {
  reason: RunawayReason;
  detail: string;
}

/** Tuning of {@link RunawayDetector}. Lengths in characters. */
export interface RunawayOptions {
  /** Consecutive whitespace characters that trip `whitespace`. Default 200. */
  maxWhitespaceRun: number;
  /** Consecutive repeats of one block that trip `repeated_block`. Default 3. */
  repeats: number;
  /** Smallest block checked for repeats. Default 16. */
  minBlock: number;
  /** Largest block checked for repeats. Default 4096. */
  maxBlock: number;
  /**
   * Blocks up to this size trip only when mostly whitespace (the engine's repetition detector owns shorter
   * text patterns and injects its own correction). Default 120 (the engine's largest pattern).
   */
  engineBlock: number;
  /** In a forced round: visible text without any sign of a call (`{`, `<tool_call`, a tool name) that trips `no_call`. Default 400. */
  maxTextBeforeCall: number;
}

/** Defaults of {@link RunawayOptions}. */
export const DEFAULT_RUNAWAY_OPTIONS: RunawayOptions = {
  maxWhitespaceRun: 200,
  repeats: 3,
  minBlock: 16,
  maxBlock: 4096,
  engineBlock: 120,
  maxTextBeforeCall: 400,
};

/** How a round is watched: `forced` (tool choice required), with the offered tool names. */
export interface RunawayRound {
  forced: boolean;
  toolNames: readonly string[];
}

/** Signs that a call has begun in text: a JSON object, a Hermes/Qwen tag, Mistral's marker, a Llama python tag. */
const CALL_MARKERS = ["{", "<tool_call", "[TOOL_CALLS", "<|python_tag|>", "<function"];
/** How often (new characters) the repeated-block scan runs. */
const SCAN_EVERY = 64;

/**
 * Watches one round's streamed text. `feed(text)` returns a trip once the text runs away, else undefined:
 * - `whitespace`: `maxWhitespaceRun` whitespace characters in a row;
 * - `repeated_block`: the text ends with the same block `repeats` times in a row, the block longer than
 *   `engineBlock` or mostly whitespace (≥ `minBlock`);
 * - `no_call`: a forced round produced `maxTextBeforeCall` characters with no sign of a call.
 * After a trip `feed` keeps returning it. Memory is bounded (the tail kept is `maxBlock × repeats`).
 */
export class RunawayDetector {
  private readonly opts: RunawayOptions;
  private readonly round: RunawayRound;
  private tail = "";
  private whitespaceRun = 0;
  private sinceScan = 0;
  private seenText = 0;
  private sawCall = false;
  private tripped: RunawayTrip | undefined;

  constructor(round: RunawayRound, opts: Partial<RunawayOptions> = {}) {
    this.round = round;
    this.opts = { ...DEFAULT_RUNAWAY_OPTIONS, ...opts };
  }

  /** Feeds streamed text; returns a trip when the round has run away. */
  feed(text: string): RunawayTrip | undefined {
    if (this.tripped || text === "") return this.tripped;
    for (const ch of text) {
      if (/\s/.test(ch)) {
        this.whitespaceRun++;
        if (this.whitespaceRun >= this.opts.maxWhitespaceRun) {
          return this.trip("whitespace", `${this.whitespaceRun} whitespace characters in a row`);
        }
      } else this.whitespaceRun = 0;
    }
    this.tail += text;
    const keep = this.opts.maxBlock * this.opts.repeats;
    if (this.tail.length > keep * 2) this.tail = this.tail.slice(-keep);
    this.seenText += text.length;
    if (this.round.forced && !this.sawCall) {
      const recent = this.tail.slice(-(text.length + 64));
      if (
        CALL_MARKERS.some((m) => recent.includes(m)) ||
        this.round.toolNames.some((n) => recent.includes(n))
      )
        this.sawCall = true;
      else if (this.seenText >= this.opts.maxTextBeforeCall)
        return this.trip(
          "no_call",
          `${this.seenText} characters of text and no tool call in a round that requires one`,
        );
    }
    this.sinceScan += text.length;
    if (this.sinceScan >= SCAN_EVERY) {
      this.sinceScan = 0;
      const block = this.repeatedBlock();
      if (block !== undefined)
        return this.trip(
          "repeated_block",
          `the same ${block}-character block ${this.opts.repeats} times in a row`,
        );
    }
    return undefined;
  }

  /** Records an external trip (e.g. the generation-time limit), so later feeds return it. */
  trip(reason: RunawayReason, detail: string): RunawayTrip {
    this.tripped ??= { reason, detail };
    return this.tripped;
  }

  /** The trip so far, if any. */
  current(): RunawayTrip | undefined {
    return this.tripped;
  }

  /**
   * The period of a block the tail ends with `repeats` times in a row, else undefined. Candidate periods are
   * the distances back to earlier occurrences of the tail's last `minBlock` characters.
   */
  private repeatedBlock(): number | undefined {
    const { minBlock, maxBlock, repeats, engineBlock } = this.opts;
    const t = this.tail;
    if (t.length < minBlock * repeats) return undefined;
    const probe = t.slice(-minBlock);
    let at = t.length - minBlock;
    for (;;) {
      at = t.lastIndexOf(probe, at - 1);
      if (at < 0) return undefined;
      const period = t.length - minBlock - at;
      if (period > maxBlock || period * repeats > t.length) return undefined;
      if (period < minBlock) continue;
      const block = t.slice(-period);
      let ok = true;
      for (let k = 2; k <= repeats && ok; k++) ok = t.slice(-k * period, -(k - 1) * period) === block;
      if (!ok || block.trim() === "") continue; // all-whitespace runs are the whitespace rule's
      const blank = block.replace(/\S/g, "").length / block.length >= 0.5;
      if (period > engineBlock || blank) return period;
    }
  }
}
