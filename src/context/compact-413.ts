import type { Message } from "../message/types.ts";
import { type CompactResultsOptions, compactPreviousToolResultsCounted } from "./compact-results.ts";
import { type DropOptions, dropOldestRoundsCounted, droppableRoundCount } from "./rounds.ts";

/** Options of {@link compactForTooLarge}. */
export interface TooLargeOptions extends DropOptions, CompactResultsOptions {}

/**
 * Shrinks a history after the server refused it as too large (HTTP 413 / context-length error), for one retry:
 * tool results before the last assistant message become one-line markers (compact-results.ts), and about the
 * oldest half of the droppable rounds (`ceil(n / 2)`) are dropped whole (rounds.ts: a tool call is never
 * separated from its result; the current turn's user prompt and everything after the last prompt are kept).
 * Returns undefined when neither step changes anything, so the engine reports the error instead of retrying
 * the same request.
 *
 * Borrowed from gnoma's ForceCompact on a 413 (budget: half the window); gnoma summarises the dropped part with
 * the model, owlet drops whole rounds and leaves a note, which needs no extra request.
 */
export function compactForTooLarge(messages: Message[], opts?: TooLargeOptions): Message[] | undefined {
  const compact = compactPreviousToolResultsCounted(messages, opts);
  const dropOpts: DropOptions = { turnStart: opts?.turnStart };
  const half = Math.ceil(droppableRoundCount(compact.messages, dropOpts) / 2);
  const dropped = dropOldestRoundsCounted(compact.messages, half, dropOpts);
  if (compact.compacted === 0 && dropped.droppedRounds === 0) return undefined;
  return dropped.messages;
}
