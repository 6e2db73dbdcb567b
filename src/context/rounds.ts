import type { Message } from "../message/types.ts";

/** A half-open range `[start, end)` of message indices forming one round (see {@link roundRanges}). */
export interface RoundRange {
  start: number;
  end: number;
}

/** Options shared by the dropping functions. */
export interface DropOptions {
  /**
   * Index in `messages` of the first user message of the current turn (the user's task). Default: the last
   * user prompt. Pass it when the engine has appended its own user messages during the turn ("continue",
   * corrective notes) so the task itself is kept.
   */
  turnStart?: number;
  /**
   * In-turn compaction: when true, the current turn's own rounds after its prompt may be dropped too (oldest
   * first, after every earlier turn's), except the last round: the model keeps its task and what it just did.
   * Default false.
   */
  inTurn?: boolean;
}

/** What {@link dropOldestRoundsCounted} did. */
export interface DropOutcome {
  messages: Message[];
  /** Original messages removed (inserted notes not counted). */
  droppedMessages: number;
  droppedRounds: number;
}

/** Assistant acknowledgement inserted after a leading note when the next kept message is a user message. */
export const DROP_ACK = "OK.";

/** True for a user message with no tool_result block (a prompt, as opposed to a tool-results message). */
export function isUserPrompt(message: Message): boolean {
  return message.role === "user" && !message.content.some((b) => b.type === "tool_result");
}

/** The note put where messages were dropped: `[N earlier messages were dropped to fit the context window]`. */
export function droppedNote(count: number): string {
  return count === 1
    ? "[1 earlier message was dropped to fit the context window]"
    : `[${count} earlier messages were dropped to fit the context window]`;
}

/**
 * Splits `messages` into rounds: contiguous ranges cut only where no tool call is separated from its result.
 * A cut before index k is allowed when message k holds no tool_result and no message at ≥ k answers a tool
 * call made before k. In a normal history this gives: each user prompt alone, and each assistant message
 * together with the tool-results message that answers it.
 */
export function roundRanges(messages: Message[]): RoundRange[] {
  const callAt = new Map<string, number>();
  messages.forEach((message, index) => {
    for (const block of message.content) if (block.type === "tool_call") callAt.set(block.id, index);
  });
  // earliest[k]: the earliest call index answered by any message at ≥ k.
  const earliest = new Array<number>(messages.length + 1).fill(Number.POSITIVE_INFINITY);
  for (let k = messages.length - 1; k >= 0; k--) {
    let min = earliest[k + 1]!;
    for (const block of messages[k]!.content) {
      if (block.type !== "tool_result") continue;
      const call = callAt.get(block.toolCallId);
      if (call !== undefined && call < min) min = call;
    }
    earliest[k] = min;
  }
  const ranges: RoundRange[] = [];
  let start = 0;
  for (let k = 1; k < messages.length; k++) {
    const hasResult = messages[k]!.content.some((b) => b.type === "tool_result");
    if (!hasResult && earliest[k]! >= k) {
      ranges.push({ start, end: k });
      start = k;
    }
  }
  if (messages.length > 0) ranges.push({ start, end: messages.length });
  return ranges;
}

/** The rounds of `messages` (see {@link roundRanges}); concatenated they give `messages` back. */
export function groupRounds(messages: Message[]): Message[][] {
  return roundRanges(messages).map((r) => messages.slice(r.start, r.end));
}

/** Index of the last user prompt, or -1 when there is none. */
function lastPromptIndex(messages: Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (isUserPrompt(messages[i]!)) return i;
  return -1;
}

/**
 * Which rounds may be dropped: every round that contains neither the current turn's first user message
 * (`opts.turnStart`, default the last user prompt) nor anything from the last user prompt on (with
 * `opts.inTurn`: nor the last round). With no user prompt at all, the last round is kept. Returns the ranges of all rounds and a parallel droppable flag.
 * Throws RangeError when `turnStart` is not the index of a user prompt at or before the last one.
 */
export function droppableRounds(
  messages: Message[],
  opts?: DropOptions,
): { ranges: RoundRange[]; droppable: boolean[] } {
  const ranges = roundRanges(messages);
  const lastPrompt = lastPromptIndex(messages);
  const keepFrom = lastPrompt >= 0 ? lastPrompt : (ranges.at(-1)?.start ?? 0);
  const turnStart = opts?.turnStart ?? keepFrom;
  if (opts?.turnStart !== undefined) {
    const message = messages[turnStart];
    if (!Number.isInteger(turnStart) || turnStart > keepFrom || !message || !isUserPrompt(message)) {
      throw new RangeError(
        `turnStart ${turnStart} is not the index of a user prompt at or before the last one (${keepFrom}); ` +
          "pass the index where the current turn's user message was appended",
      );
    }
  }
  const last = ranges.length - 1;
  const droppable = ranges.map(
    (r, i) =>
      (r.end <= keepFrom || (opts?.inTurn === true && i < last)) &&
      !(r.start <= turnStart && turnStart < r.end),
  );
  return { ranges, droppable };
}

/** How many rounds {@link dropOldestRounds} could drop at most. */
export function droppableRoundCount(messages: Message[], opts?: DropOptions): number {
  return droppableRounds(messages, opts).droppable.filter(Boolean).length;
}

function textMessage(role: Message["role"], text: string): Message {
  return { role, content: [{ type: "text", text }] };
}

/**
 * Drops the `count` oldest droppable rounds (whole: a tool call is never separated from its result) and marks
 * the gaps so roles still alternate:
 * - a gap at the start gets a user note {@link droppedNote} (N = messages dropped there), followed by the
 *   assistant ack {@link DROP_ACK} when the next kept message is a user message (as gnoma's compaction inserts
 *   a user note plus an assistant acknowledgement);
 * - a gap inside the history (only possible when `turnStart` is before the last prompt) gets a note in the
 *   role missing between its neighbours when both have the same role, else nothing.
 * The current turn's first user message and everything from the last user prompt on are never dropped.
 * `count` is clamped to [0, droppable rounds]; with 0 the original array is returned.
 */
export function dropOldestRoundsCounted(messages: Message[], count: number, opts?: DropOptions): DropOutcome {
  const { ranges, droppable } = droppableRounds(messages, opts);
  const drop = new Array<boolean>(ranges.length).fill(false);
  let left = Math.max(0, Math.floor(count));
  for (let i = 0; i < ranges.length && left > 0; i++) {
    if (droppable[i]) {
      drop[i] = true;
      left--;
    }
  }
  const droppedRounds = drop.filter(Boolean).length;
  if (droppedRounds === 0) return { messages, droppedMessages: 0, droppedRounds: 0 };

  const out: Message[] = [];
  let droppedMessages = 0;
  let gap = 0;
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i]!;
    if (drop[i]) {
      gap += range.end - range.start;
      continue;
    }
    const next = messages[range.start]!;
    if (gap > 0) {
      const prev = out.at(-1);
      if (!prev) {
        out.push(textMessage("user", droppedNote(gap)));
        if (next.role === "user") out.push(textMessage("assistant", DROP_ACK));
      } else if (prev.role === next.role) {
        out.push(textMessage(next.role === "user" ? "assistant" : "user", droppedNote(gap)));
      }
      droppedMessages += gap;
      gap = 0;
    }
    for (let k = range.start; k < range.end; k++) out.push(messages[k]!);
  }
  droppedMessages += gap;
  return { messages: out, droppedMessages, droppedRounds };
}

/** {@link dropOldestRoundsCounted} returning only the new history. */
export function dropOldestRounds(messages: Message[], count: number, opts?: DropOptions): Message[] {
  return dropOldestRoundsCounted(messages, count, opts).messages;
}
