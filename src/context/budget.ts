import type { ProviderRequest } from "../provider/types.ts";
import { compactPreviousToolResultsCounted } from "./compact-results.ts";
import { measureMessageCached, measureRequest, type RequestParts } from "./measure.ts";
import { type DropOptions, dropOldestRoundsCounted, droppableRoundCount } from "./rounds.ts";
import type { TokenCounter } from "./tokens.ts";

/** Input of {@link fitToWindow}. All sizes in tokens. */
export interface FitInput extends DropOptions {
  request: ProviderRequest;
  /** The arm's context window (prompt + completion), tokens. */
  contextWindow: number;
  /** Tokens kept free for the answer (see {@link outputReserveFor}). */
  outputReserve: number;
  counter: TokenCounter;
  /** Stored path of a tool result, for the compaction marker (see compact-results.ts). */
  pathFor?(toolCallId: string): string | undefined;
  /**
   * A cap on the prompt below the window's own limit, tokens: what a server that answered 413 (request too
   * large) is known to refuse, less a margin. Default none.
   */
  maxPromptTokens?: number;
}

/** Output of {@link fitToWindow}. */
export interface FitResult {
  /** The request to send: the input object itself when it already fit. */
  request: ProviderRequest;
  /** Token counts of the returned request. */
  parts: RequestParts;
  /** Tool-result blocks replaced by a marker (0 when compaction was not needed). */
  compactedResults: number;
  /** Original history messages dropped (notes inserted in their place not counted). */
  droppedMessages: number;
}

/**
 * Share of the window held back for counting error, by counter kind: 0 for the model's own tokenizer, 5 % for a
 * family tokenizer (approximate outside OpenAI, e.g. cl100k for Claude), 25 % for the estimate. owlet's figures:
 * measured against SmolLM2-135M's own tokenizer (49k vocabulary), the 4-bytes-per-token estimate gave
 * 0.94 × the real count on the full system prompt, 0.87 on TypeScript, 0.82 on Markdown and 0.77 on bundled
 * JavaScript, so 25 % covers code and prose; indented JSON full of digits measured 0.54 and is NOT covered:
 * give local servers a model counter where one exists.
 */
export const SAFETY_MARGIN: Readonly<Record<TokenCounter["kind"], number>> = {
  model: 0,
  family: 0.05,
  estimate: 0.25,
};

/** Tokens of `contextWindow` usable for prompt + output reserve under `kind`'s safety margin (floored). */
export function usableWindow(contextWindow: number, kind: TokenCounter["kind"]): number {
  return Math.floor(contextWindow * (1 - SAFETY_MARGIN[kind]));
}

/**
 * Thrown by {@link fitToWindow} when even the minimal prompt (system prompt + tool schemas + the current turn)
 * does not fit. The message names the sizes and what to do; `parts` are the minimal prompt's counts.
 */
export class BudgetError extends Error {
  override readonly name = "BudgetError";
  readonly parts: RequestParts;
  readonly contextWindow: number;
  readonly outputReserve: number;

  constructor(parts: RequestParts, contextWindow: number, outputReserve: number, usable: number) {
    super(
      `The prompt does not fit the ${contextWindow}-token context window: system prompt ${parts.system} + ` +
        `tool schemas ${parts.tools} + current turn ${parts.history} = ${parts.total} tokens, plus ${outputReserve} ` +
        `kept for the answer, exceeds the ${usable} tokens usable. Use a larger window (--context-window, or a ` +
        "model with a longer context), offer fewer tools (two-stage routing: --two-stage), or shorten the prompt.",
    );
    this.parts = parts;
    this.contextWindow = contextWindow;
    this.outputReserve = outputReserve;
  }
}

function checkSize(name: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a number ≥ ${min} (tokens), got ${value}`);
  }
}

/**
 * Fits a request into the arm's context window, leaving `outputReserve` tokens for the answer. The request fits
 * when `parts.total + outputReserve ≤ usableWindow(contextWindow, counter.kind)` and `parts.total ≤ maxPromptTokens`.
 *
 * 1. Fits already: returned unchanged (same object).
 * 2. Else tool results before the last assistant message are replaced by one-line markers
 *    (compactPreviousToolResults, gnoma §4.8; the marker carries the stored path).
 * 3. Still too big: the oldest rounds are dropped whole, one at a time, until it fits (rounds.ts: a tool call is
 *    never separated from its result, a note marks the gap, roles keep alternating; the current turn's first
 *    user message and everything from the last user prompt on are never dropped, or with `inTurn` the current
 *    turn's rounds too, oldest first, except its last round).
 * 4. Nothing left to drop and still too big: throws {@link BudgetError}.
 *
 * Never returns a request larger than the usable window, so a server is not asked to truncate it.
 * Throws RangeError for a non-positive window, a negative reserve, or a reserve that fills the window.
 */
export function fitToWindow(input: FitInput): FitResult {
  const { request, contextWindow, outputReserve, counter } = input;
  checkSize("contextWindow", contextWindow, 1);
  checkSize("outputReserve", outputReserve, 0);
  const usable = usableWindow(contextWindow, counter.kind);
  if (outputReserve >= usable) {
    throw new RangeError(
      `outputReserve ${outputReserve} leaves no room for the prompt in a ${contextWindow}-token window ` +
        `(${usable} usable); lower the output budget or raise --context-window`,
    );
  }
  const limit = Math.min(usable - outputReserve, input.maxPromptTokens ?? Number.POSITIVE_INFINITY);

  const original = measureRequest(request, counter);
  if (original.total <= limit) {
    return { request, parts: original, compactedResults: 0, droppedMessages: 0 };
  }

  const { system, tools } = original;
  const fixed = system + tools;
  const partsOf = (messages: ProviderRequest["messages"]): RequestParts => {
    const history = messages.reduce((n, m) => n + measureMessageCached(m, counter), 0);
    return { system, tools, history, total: fixed + history };
  };

  const compact = compactPreviousToolResultsCounted(request.messages, { pathFor: input.pathFor });
  const dropOpts: DropOptions = { turnStart: input.turnStart, inTurn: input.inTurn };
  const maxDrop = droppableRoundCount(compact.messages, dropOpts);
  let last: RequestParts | undefined;
  for (let rounds = 0; rounds <= maxDrop; rounds++) {
    const dropped = dropOldestRoundsCounted(compact.messages, rounds, dropOpts);
    const parts = partsOf(dropped.messages);
    last = parts;
    if (parts.total <= limit) {
      return {
        request: { ...request, messages: dropped.messages },
        parts,
        compactedResults: compact.compacted,
        droppedMessages: dropped.droppedMessages,
      };
    }
  }
  throw new BudgetError(last ?? original, contextWindow, outputReserve, usable);
}

/** Default output budget when the request names none: 1,024 tokens (owlet's figure). */
export const DEFAULT_OUTPUT_RESERVE = 1024;

/**
 * Tokens to keep free for the answer: `min(maxOutputTokens ?? 1024, floor(window / 4))`, so a small window keeps
 * three quarters for the prompt. Throws RangeError for a non-positive window.
 */
export function outputReserveFor(contextWindow: number, maxOutputTokens?: number): number {
  checkSize("contextWindow", contextWindow, 1);
  return Math.max(0, Math.min(maxOutputTokens ?? DEFAULT_OUTPUT_RESERVE, Math.floor(contextWindow / 4)));
}
