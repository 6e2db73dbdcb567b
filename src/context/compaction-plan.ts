import { textOf } from "../message/build.ts";
import type { Message } from "../message/types.ts";
import { measureMessageCached } from "./measure.ts";
import { roundRanges } from "./rounds.ts";
import { CURRENT_TASK_HEADER, clipMiddle, isSummaryMessage, SUMMARY_ACK } from "./summary.ts";
import type { TokenCounter } from "./tokens.ts";

/** Default share of the prompt room at which summary compaction starts: 85 % (`[context] compact_threshold`). */
export const DEFAULT_COMPACT_THRESHOLD = 0.85;
/** Share of the prompt room the rounds kept verbatim after a summary may take: 35 % (owlet's figure). */
export const KEEP_SHARE = 0.35;

/** Which part of a history a summary replaces (see {@link planSummary}). */
export interface SummaryPlan {
  /** Index of the first message kept verbatim; `messages.slice(0, keepFrom)` is summarised. */
  keepFrom: number;
  /**
   * The current turn's prompt, verbatim, when it lies in the summarised part: the summary message carries it
   * (see summaryMessages) so the task is never lost.
   */
  prompt?: string;
}

/** Options of {@link planSummary}. */
export interface PlanOptions {
  /** Index of the current turn's prompt (as rounds.ts DropOptions.turnStart); default none. */
  turnStart?: number;
  /** Most tokens the rounds kept verbatim may take; the latest round is kept whatever its size. */
  keepTokens: number;
  counter: TokenCounter;
}

/**
 * Splits a history for summary compaction: the latest rounds whose tokens fit `keepTokens` stay verbatim (at
 * least the last round, so the model keeps what it just did), everything before them is summarised. Cuts only
 * between rounds (rounds.ts: a tool call is never separated from its result). Undefined when there is nothing
 * new to summarise: the part before the kept rounds is empty or only an earlier summary.
 */
export function planSummary(messages: Message[], opts: PlanOptions): SummaryPlan | undefined {
  const ranges = roundRanges(messages);
  if (ranges.length < 2) return undefined;
  let kept = 0;
  let first = ranges.length - 1;
  for (let i = ranges.length - 1; i >= 0; i--) {
    const r = ranges[i]!;
    let tokens = 0;
    for (let k = r.start; k < r.end; k++) tokens += measureMessageCached(messages[k]!, opts.counter);
    if (i < ranges.length - 1 && kept + tokens > opts.keepTokens) break;
    kept += tokens;
    first = i;
  }
  const keepFrom = ranges[first]!.start;
  if (keepFrom === 0) return undefined;
  const summarised = messages.slice(0, keepFrom);
  if (summarised.every((m) => isSummaryMessage(m) || textOf(m) === SUMMARY_ACK)) return undefined;
  const plan: SummaryPlan = { keepFrom };
  const start = opts.turnStart;
  if (start !== undefined && start < keepFrom && messages[start])
    plan.prompt = currentTaskOf(messages[start]);
  return plan;
}

/**
 * The task a turn's first message states: its text, or, for a summary message that carries the current task
 * (see summaryMessages), that task.
 */
export function currentTaskOf(message: Message): string {
  const text = textOf(message);
  if (!isSummaryMessage(message)) return text;
  const at = text.indexOf(`\n\n${CURRENT_TASK_HEADER}\n`);
  return at >= 0 ? text.slice(at + CURRENT_TASK_HEADER.length + 3) : "";
}

/**
 * Whether a request should be compacted by a summary before it is sent: its prompt (`promptTokens`) passes
 * `threshold` (0–1) of `room`, the tokens available to the prompt (the usable window less the output reserve).
 */
export function needsCompaction(promptTokens: number, room: number, threshold: number): boolean {
  return promptTokens > Math.floor(room * threshold);
}

/**
 * Splits transcript items into chunks of at most `budget` tokens each (by `counter`, items joined by blank
 * lines, 2 tokens counted per separator), in order, for a rolling summary when one request cannot hold them all.
 * An item larger than `budget` alone is clipped in the middle (clipMiddle) until it fits. Throws RangeError when
 * `budget` < 16 tokens (too small to say anything).
 */
export function chunkItems(items: string[], budget: number, counter: TokenCounter): string[][] {
  if (!Number.isFinite(budget) || budget < 16) {
    throw new RangeError(`summary chunk budget must be ≥ 16 tokens, got ${budget}`);
  }
  const chunks: string[][] = [];
  let current: string[] = [];
  let used = 0;
  for (const raw of items) {
    let item = raw;
    let tokens = counter.count(item);
    while (tokens > budget && item.length > 40) {
      item = clipMiddle(item, Math.floor(item.length * Math.min(0.9, budget / tokens)));
      tokens = counter.count(item);
    }
    if (current.length > 0 && used + tokens + 2 > budget) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += tokens + 2;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
