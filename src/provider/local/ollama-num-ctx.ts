/**
 * Ollama's `num_ctx`: the context size Ollama allocates for one request. Ollama silently truncates a prompt
 * beyond it, and reloads the model whenever it changes, so it is sized per request from the engine's budget.
 */
import type { ProviderRequest } from "../types.ts";

/** Smallest `num_ctx` sent to Ollama: 2,048 tokens (Ollama's historical default). */
export const MIN_NUM_CTX = 2048;

/** How a prompt's tokens were counted: the model's tokenizer, a family tokenizer, or an estimate. */
export type PromptCountKind = "model" | "family" | "estimate";

/**
 * Share by which a prompt count of each kind may fall short of the real count. The same figures as the budget's
 * SAFETY_MARGIN (context/budget.ts, which explains them); a test keeps the two equal.
 */
export const PROMPT_COUNT_MARGIN: Readonly<Record<PromptCountKind, number>> = {
  model: 0,
  family: 0.05,
  estimate: 0.25,
};

/**
 * Ollama `num_ctx` (tokens) for a prompt of `promptTokens` plus `outputReserve`: the prompt is scaled up by the
 * count kind's margin (Ollama counts with the real tokenizer, owlet usually estimates), then the sum is rounded
 * up to a power of two ≥ {@link MIN_NUM_CTX}, because Ollama reloads the model whenever `num_ctx` changes and
 * powers of two keep it stable over many rounds. Capped at `modelMax` (the model's trained context, from
 * `/api/show`) when given; the budget must already keep the prompt under that. Throws a RangeError for a
 * negative or non-finite count.
 */
export function numCtxFor(
  promptTokens: number,
  outputReserve: number,
  modelMax?: number,
  kind: PromptCountKind = "estimate",
): number {
  checkTokens("promptTokens", promptTokens);
  checkTokens("outputReserve", outputReserve);
  const needed = Math.ceil(promptTokens / (1 - PROMPT_COUNT_MARGIN[kind])) + outputReserve;
  let size = MIN_NUM_CTX;
  while (size < needed) size *= 2;
  return modelMax !== undefined && modelMax > 0 ? Math.min(size, modelMax) : size;
}

/**
 * The `num_ctx` to send for `request`: its `numCtx` when given, else {@link numCtxFor} its `contextBudget`
 * (prompt counted as an estimate, capped at the arm's window), else undefined (Ollama's own default applies).
 */
export function numCtxOf(request: ProviderRequest): number | undefined {
  if (request.numCtx !== undefined) return request.numCtx;
  const budget = request.contextBudget;
  return budget ? numCtxFor(budget.promptTokens, budget.outputReserve, budget.contextWindow) : undefined;
}

function checkTokens(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a number ≥ 0 (tokens), got ${value}`);
}
