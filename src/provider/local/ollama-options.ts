/**
 * Per-request Ollama `options` (native `/api/chat`): `num_ctx` and the settings Ollama only reads there.
 */
import type { LanguageModelV4, LanguageModelV4CallOptions } from "@ai-sdk/provider";
import { wrapLanguageModel } from "ai";

/** Ollama's `options` object (native API): context size, output budget, sampling. Token counts. */
export interface OllamaRequestOptions {
  num_ctx?: number;
  num_predict?: number;
  temperature?: number;
  seed?: number;
}

/**
 * Builds Ollama's `options` for one call: `num_ctx` from the request, and the standard settings the
 * native API only reads inside `options` (`num_predict` ← maxOutputTokens, `temperature`, `seed`;
 * ollama-ai-provider-v2 sends those at the top level, where `/api/chat` ignores them).
 */
export function ollamaOptionsFor(
  params: LanguageModelV4CallOptions,
  numCtx: number | undefined,
): OllamaRequestOptions {
  const o: OllamaRequestOptions = {};
  if (numCtx !== undefined && numCtx > 0) o.num_ctx = Math.floor(numCtx);
  if (params.maxOutputTokens !== undefined) o.num_predict = params.maxOutputTokens;
  if (params.temperature !== undefined) o.temperature = params.temperature;
  if (params.seed !== undefined) o.seed = params.seed;
  return o;
}

/**
 * Wraps an Ollama language model so every call sends `options` from {@link ollamaOptionsFor}, merged
 * over any `providerOptions.ollama.options` already present (the request's values win).
 */
export function withOllamaOptions(model: LanguageModelV4, numCtx: number | undefined): LanguageModelV4 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: "v4",
      transformParams: async ({ params }) => {
        const prior = (params.providerOptions?.ollama ?? {}) as Record<string, unknown>;
        const priorOptions = (prior.options ?? {}) as Record<string, unknown>;
        const options = { ...priorOptions, ...ollamaOptionsFor(params, numCtx) };
        return {
          ...params,
          providerOptions: {
            ...params.providerOptions,
            ollama: { ...prior, options },
          } as typeof params.providerOptions,
        };
      },
    },
  });
}
