import type { DetectorTrip } from "./types.ts";

/** Tuning of {@link RepetitionDetector}; defaults are gnoma's earlystop.go constants. */
export interface RepetitionOptions {
  /** Minimum buffered text before checking, chars. gnoma: 150. */
  minChars: number;
  /** Pattern sizes tried, chars. gnoma: 50, 80, 120. */
  patternSizes: readonly number[];
  /** Occurrences of one pattern that trip the detector. gnoma: 3. */
  minRepeats: number;
}

const DEFAULTS: RepetitionOptions = { minChars: 150, patternSizes: [50, 80, 120], minRepeats: 3 };

/** The corrective message injected after a repetition trip (gnoma's wording, lightly edited). */
export const REPETITION_INJECTION =
  "[system] Your output is repeating itself in a loop. Stop. Take a different approach, or state explicitly " +
  "what is blocking you and why the current strategy is not converging.";

/**
 * Detects a model looping on the same text while it streams (after gnoma's RepetitionDetector). On each delta,
 * for each pattern size the pattern is the last `size` chars of the streamed text, and its non-overlapping
 * occurrences are counted within the trailing `size × minRepeats × 2` chars; `minRepeats` occurrences trip it.
 * gnoma took the pattern from a fixed 200-char tail, which made its 80- and 120-char sizes unable to ever trip;
 * scaling the span with the size fixes that. Mostly-whitespace patterns never trip. `reset()` between rounds.
 */
export class RepetitionDetector {
  private buffer = "";
  private readonly opts: RepetitionOptions;

  constructor(opts: Partial<RepetitionOptions> = {}) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Adds streamed text; returns a trip when the tail repeats, else undefined. */
  feed(delta: string): DetectorTrip | undefined {
    this.buffer += delta;
    const maxKeep = Math.max(...this.opts.patternSizes) * this.opts.minRepeats * 4;
    if (this.buffer.length > maxKeep * 2) this.buffer = this.buffer.slice(-maxKeep);
    if (this.buffer.length < this.opts.minChars) return undefined;
    for (const size of this.opts.patternSizes) {
      const span = size * this.opts.minRepeats * 2;
      if (this.buffer.length < size * this.opts.minRepeats) continue;
      const tail = this.buffer.slice(-span);
      const pattern = this.buffer.slice(-size);
      if (pattern.trim().length < size / 4) continue;
      if (countNonOverlapping(tail, pattern) >= this.opts.minRepeats) {
        return {
          detector: "repetition",
          reason: `a ${size}-char passage repeated ${this.opts.minRepeats}+ times in the last ${span} chars`,
          injection: REPETITION_INJECTION,
        };
      }
    }
    return undefined;
  }

  /** Clears the buffer (start of a round). */
  reset(): void {
    this.buffer = "";
  }
}

function countNonOverlapping(haystack: string, needle: string): number {
  let count = 0;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return count;
    count++;
    from = at + needle.length;
  }
}
