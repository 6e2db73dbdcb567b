import { outputReserveFor, usableWindow } from "../context/budget.ts";
import {
  DEFAULT_COMPACT_THRESHOLD,
  KEEP_SHARE,
  needsCompaction,
  planSummary,
} from "../context/compaction-plan.ts";
import { measureMessageCached } from "../context/measure.ts";
import { summaryMessages } from "../context/summary.ts";
import type { TokenCounter } from "../context/tokens.ts";
import type { Message, Usage } from "../message/types.ts";
import type { ProviderRequest } from "../provider/types.ts";
import type { EngineEvent } from "./events.ts";
import type { ArmHandle } from "./routing.ts";
import { summarise } from "./summarise.ts";

/** What started a compaction: the window filling (`auto`) or the user (`manual`: `/compact`, `owlet compact`). */
export type CompactionTrigger = "auto" | "manual";

/**
 * The PreCompact hook point, before a summary is written (Claude Code's PreCompact event: `trigger` and
 * `custom_instructions`). The hook may add instructions for the summary; it cannot stop the compaction
 * (a window that is full has to be compacted).
 */
export interface PreCompactEvent {
  trigger: CompactionTrigger;
  /** What the user asked to keep in focus (`/compact <focus>`), if anything. */
  customInstructions?: string;
  /** Messages about to be summarised. */
  messages: number;
}

/** What a PreCompact hook may return. */
export interface PreCompactResult {
  /** Appended to the summary request's focus. */
  additionalInstructions?: string;
}

/** Summary compaction settings (from `[context]` in config). */
export interface CompactionOptions {
  /** False turns summary compaction off (the budget still drops old rounds). Default true. */
  enabled?: boolean;
  /** Share (0–1) of the prompt room at which a summary is written; default 0.85. */
  threshold?: number;
  /** The arm that writes summaries for a turn on `arm` (a configured cheaper one); default `arm` itself. */
  summaryArm?: (arm: ArmHandle) => ArmHandle;
  /** The PreCompact hook point (see PreCompactEvent); hooks may add instructions for the summary. */
  beforeCompact?: (
    event: PreCompactEvent,
  ) => Promise<PreCompactResult | undefined> | PreCompactResult | undefined;
}

/**
 * One compaction as it is stored (the session's `summary` record): the summary, how many messages at the end of
 * the history were kept verbatim (`keptMessages`: every message before them, in the stored full history, is
 * replaced by the summary), the current turn's prompt when the summary covers part of that turn, who wrote it
 * and what it cost (tokens), and the history's size before and after by the engine's counter (tokens).
 */
export interface CompactionRecord {
  summary: string;
  keptMessages: number;
  prompt?: string;
  trigger: CompactionTrigger;
  arm: string;
  usage: Usage;
  tokensBefore: number;
  tokensAfter: number;
}

/** Input of {@link compactWithSummary}. */
export interface SummaryCompactionInput {
  history: Message[];
  /** Index of the current turn's prompt in `history`, when a turn is running. */
  turnStart?: number;
  /** Tokens the history may take (the prompt room less system prompt and tools); kept rounds get 35 % of it. */
  room: number;
  /** The engine's counter for the turn's arm (sizes the kept rounds). */
  counter: TokenCounter;
  /** Counter of the summary arm. */
  summaryCounter: TokenCounter;
  summaryArm: ArmHandle;
  trigger: CompactionTrigger;
  focus?: string;
  beforeCompact?: CompactionOptions["beforeCompact"];
  signal: AbortSignal;
  /** Tokens of the history by the engine's counter, for the record. */
  measure: (messages: Message[]) => number;
  onRequest?: (request: ProviderRequest) => void;
}

/** The compacted history and its record; `promptIndex` is set when the summary message now states the task. */
export interface SummaryCompaction {
  history: Message[];
  record: CompactionRecord;
  promptIndex?: number;
}

/**
 * Replaces the older part of a history with a model-written summary (see planSummary: the latest rounds, up to
 * 35 % of `room` and at least the last round, stay verbatim): runs the PreCompact hook, has the summary arm
 * write the summary (summarise), and returns the new history (summary message, maybe an acknowledgement, the
 * kept rounds) and its record. Undefined when there is nothing to summarise. Throws what summarise throws.
 */
export async function compactWithSummary(
  input: SummaryCompactionInput,
): Promise<SummaryCompaction | undefined> {
  const { history } = input;
  const plan = planSummary(history, {
    ...(input.turnStart !== undefined ? { turnStart: input.turnStart } : {}),
    keepTokens: Math.floor(input.room * KEEP_SHARE),
    counter: input.counter,
  });
  if (!plan) return undefined;
  const older = history.slice(0, plan.keepFrom);
  const kept = history.slice(plan.keepFrom);
  const hook = await input.beforeCompact?.({
    trigger: input.trigger,
    ...(input.focus ? { customInstructions: input.focus } : {}),
    messages: older.length,
  });
  const focus = [input.focus, hook?.additionalInstructions].filter((s) => s?.trim()).join("\n") || undefined;
  const out = await summarise({
    arm: input.summaryArm,
    messages: older,
    counter: input.summaryCounter,
    signal: input.signal,
    ...(focus ? { focus } : {}),
    ...(input.onRequest ? { onRequest: input.onRequest } : {}),
  });
  const head = summaryMessages(out.summary, kept[0]?.role, plan.prompt);
  const next = [...head, ...kept];
  const record: CompactionRecord = {
    summary: out.summary,
    keptMessages: kept.length,
    ...(plan.prompt !== undefined ? { prompt: plan.prompt } : {}),
    trigger: input.trigger,
    arm: input.summaryArm.id,
    usage: out.usage,
    tokensBefore: input.measure(history),
    tokensAfter: input.measure(next),
  };
  return { history: next, record, ...(plan.prompt !== undefined ? { promptIndex: 0 } : {}) };
}

/** What a {@link Compactor} needs from the engine's options. */
export interface CompactorOptions {
  compaction?: CompactionOptions;
  onCompaction?: (record: CompactionRecord) => void;
  onUsage?: (usage: Usage, round: number, armId: string) => void;
  onEvent?: (event: EngineEvent) => void;
  /** The engine's token counter for an arm. */
  counterFor: (arm: ArmHandle) => TokenCounter;
  /** The engine's output budget override (EngineOptions.maxOutputTokens). */
  maxOutputTokens?: number;
}

/** The conversation a compaction replaces parts of (the Engine). */
export interface HistoryHost {
  history: Message[];
}

/**
 * The engine's summary compaction: before a request (`beforeRequest`: only past the threshold), and on request
 * (`compact`: `/compact`, `owlet compact`). Replaces `host.history` and reports the record (`onCompaction`), the
 * summary's usage (`onUsage`) and a `compaction` event.
 */
export class Compactor {
  private readonly opts: CompactorOptions;

  constructor(opts: CompactorOptions) {
    this.opts = opts;
  }

  /**
   * Compacts now: the latest rounds up to 35 % of the history as it is (or of the arm's room, when smaller) stay.
   * Returns the record, or undefined when there is nothing to summarise; throws when the summary fails.
   */
  async compact(host: HistoryHost, request: CompactRequest): Promise<CompactionRecord | undefined> {
    const { arm } = request;
    const counter = this.opts.counterFor(arm);
    const tokens = host.history.reduce((n, m) => n + measureMessageCached(m, counter), 0);
    const room = arm.contextWindow
      ? Math.min(tokens, promptRoom(arm, this.opts.maxOutputTokens, counter).room)
      : tokens;
    const done = await this.summarise(host, {
      arm,
      trigger: "manual",
      room,
      signal: request.signal ?? new AbortController().signal,
      ...(request.focus ? { focus: request.focus } : {}),
    });
    return done?.record;
  }

  /**
   * Before a request: when its prompt (`parts`, tokens) passes the threshold of `room` (the prompt room), the older
   * rounds are summarised, the kept ones sized against the history's share of the room. Undefined when compaction
   * is off or not needed, or there is nothing to summarise; throws when the summary fails.
   */
  async beforeRequest(
    host: HistoryHost,
    args: {
      arm: ArmHandle;
      parts: { system: number; tools: number; total: number };
      room: number;
      turnStart?: number;
      signal: AbortSignal;
      round: number;
    },
  ): Promise<SummaryCompaction | undefined> {
    const c = this.opts.compaction;
    if (!c || c.enabled === false) return undefined;
    if (!needsCompaction(args.parts.total, args.room, c.threshold ?? DEFAULT_COMPACT_THRESHOLD))
      return undefined;
    return this.summarise(host, {
      arm: args.arm,
      trigger: "auto",
      room: Math.max(0, args.room - args.parts.system - args.parts.tools),
      signal: args.signal,
      round: args.round,
      ...(args.turnStart !== undefined ? { turnStart: args.turnStart } : {}),
    });
  }

  private async summarise(
    host: HistoryHost,
    args: {
      arm: ArmHandle;
      trigger: CompactionTrigger;
      room: number;
      signal: AbortSignal;
      focus?: string;
      turnStart?: number;
      round?: number;
    },
  ): Promise<SummaryCompaction | undefined> {
    const c = this.opts.compaction ?? {};
    const summaryArm = c.summaryArm?.(args.arm) ?? args.arm;
    const counter = this.opts.counterFor(args.arm);
    const done = await compactWithSummary({
      history: host.history,
      ...(args.turnStart !== undefined ? { turnStart: args.turnStart } : {}),
      room: args.room,
      counter,
      summaryCounter: this.opts.counterFor(summaryArm),
      summaryArm,
      trigger: args.trigger,
      ...(args.focus ? { focus: args.focus } : {}),
      ...(c.beforeCompact ? { beforeCompact: c.beforeCompact } : {}),
      signal: args.signal,
      measure: (messages) => messages.reduce((n, m) => n + measureMessageCached(m, counter), 0),
    });
    if (!done) return undefined;
    const summarised = host.history.length - done.record.keptMessages;
    host.history = done.history;
    this.opts.onCompaction?.(done.record);
    this.opts.onUsage?.(done.record.usage, args.round ?? 0, summaryArm.id);
    this.opts.onEvent?.({
      type: "compaction",
      reason: `summary by ${summaryArm.id} (${args.trigger}): ${done.record.tokensBefore} → ${done.record.tokensAfter} tokens`,
      droppedMessages: summarised,
      compactedResults: 0,
    });
    return done;
  }
}

/** Options of the Engine's `compact`. */
export interface CompactRequest {
  /** The arm whose window sizes the kept rounds (and that writes the summary unless a summary arm is set). */
  arm: ArmHandle;
  /** What to keep in focus. */
  focus?: string;
  signal?: AbortSignal;
}

/**
 * The prompt limits of a request to `arm` (tokens): its window (unknown: unbounded, when only a 413 `ceiling` is
 * known), the output reserve (outputReserveFor), the ceiling, and the room left for the prompt: the usable window
 * (budget.ts margins) less the reserve, at most the ceiling.
 */
export function promptRoom(
  arm: Pick<ArmHandle, "contextWindow" | "maxOutputTokens">,
  maxOutputTokens: number | undefined,
  counter: TokenCounter,
  ceiling?: number,
): { contextWindow: number; outputReserve: number; room: number; ceiling?: number } {
  const contextWindow = arm.contextWindow ?? Number.MAX_SAFE_INTEGER;
  const outputReserve = outputReserveFor(contextWindow, maxOutputTokens ?? arm.maxOutputTokens);
  const room = Math.min(usableWindow(contextWindow, counter.kind) - outputReserve, ceiling ?? Infinity);
  return { contextWindow, outputReserve, room, ...(ceiling !== undefined ? { ceiling } : {}) };
}
