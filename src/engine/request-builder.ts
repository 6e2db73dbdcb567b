import { fitToWindow } from "../context/budget.ts";
import { measureRequest, type RequestParts } from "../context/measure.ts";
import type { TokenCounter } from "../context/tokens.ts";
import type { Message } from "../message/types.ts";
import type { ProviderRequest } from "../provider/types.ts";
import type { promptRoom } from "./compaction.ts";
import type { ArmHandle } from "./routing.ts";

/** An arm's prompt limits, tokens (compaction.ts promptRoom). */
export type PromptLimits = ReturnType<typeof promptRoom>;

/**
 * What one round's request is made of, as the turn decides it (engine.ts TurnRun): the arm, the system prompt,
 * the tools offered and the tool choice (two-stage routing's step, or every tool), and the sampling settings.
 */
export interface RoundRequestSource {
  arm: ArmHandle;
  system: string;
  tools: ProviderRequest["tools"];
  toolChoice: ProviderRequest["toolChoice"];
  /** Output limit, tokens; temperature and seed (a patch round's sampling already applied). */
  sampling: { maxOutputTokens?: number; temperature?: number; seed?: number };
  /**
   * The messages the model sees now and where this turn's messages start in them (the budget never drops those).
   * Called after any summary, so a summary's rewrite of the history shows.
   */
  view(): { messages: Message[]; turnStart?: number };
  /**
   * Summary compaction when the request as it would be sent (`parts`, tokens) passes the threshold of `room`
   * (tokens); may rewrite the history and may call a model. Absent: no summary for this round (a patch round's).
   */
  summarise?(parts: RequestParts, room: number): Promise<void>;
}

/** Where a request is fitted: the arm's limits (undefined: no window and no 413 ceiling known), its counter. */
export interface RequestFit {
  limits: PromptLimits | undefined;
  counter: TokenCounter;
  /** The results store's path of a stored tool result, for the marker of a compacted result. */
  pathFor?: (id: string) => string | undefined;
}

/** A built request, its prompt by part (tokens; only when limits were known) and what fitting it took. */
export interface BuiltRequest {
  request: ProviderRequest;
  promptTokens?: RequestParts;
  droppedMessages: number;
  compactedResults: number;
}

/**
 * Builds one round's request (issue 10's split of the turn): the summary first when the request would pass the
 * compaction threshold (async: a summary calls a model), then the request fitted to the arm's window
 * (context/budget.ts fitToWindow, in-turn rounds included) with the output reserve as its output limit and the
 * budget the provider may size its context by (`contextBudget`, Ollama's num_ctx). Without limits the request
 * goes as built. Throws BudgetError when even this turn's messages do not fit.
 */
export async function buildRoundRequest(source: RoundRequestSource, fit: RequestFit): Promise<BuiltRequest> {
  const { arm, system, tools, toolChoice, sampling } = source;
  const { limits, counter } = fit;
  if (limits && source.summarise) {
    const preview: ProviderRequest = { model: arm.model, system, messages: source.view().messages, tools };
    await source.summarise(measureRequest(preview, counter), limits.room);
  }
  const { messages, turnStart } = source.view();
  let request: ProviderRequest = { model: arm.model, system, messages, tools, toolChoice };
  if (sampling.maxOutputTokens !== undefined) request.maxOutputTokens = sampling.maxOutputTokens;
  if (sampling.temperature !== undefined) request.temperature = sampling.temperature;
  if (sampling.seed !== undefined) request.seed = sampling.seed;
  if (!limits) return { request, droppedMessages: 0, compactedResults: 0 };
  const { outputReserve } = limits;
  const fitted = fitToWindow({
    request,
    contextWindow: limits.contextWindow,
    outputReserve,
    counter,
    inTurn: true,
    ...(limits.ceiling !== undefined ? { maxPromptTokens: limits.ceiling } : {}),
    ...(fit.pathFor ? { pathFor: fit.pathFor } : {}),
    ...(turnStart !== undefined ? { turnStart } : {}),
  });
  request = fitted.request;
  if (arm.contextWindow) {
    if (request.maxOutputTokens === undefined) request.maxOutputTokens = outputReserve;
    request.contextBudget = {
      promptTokens: fitted.parts.total,
      outputReserve,
      contextWindow: arm.contextWindow,
    };
  }
  return {
    request,
    promptTokens: fitted.parts,
    droppedMessages: fitted.droppedMessages,
    compactedResults: fitted.compactedResults,
  };
}
