/**
 * The Ollama provider. It talks to Ollama's native `/api/chat` through the community AI SDK provider
 * `ollama-ai-provider-v2`, because Ollama's OpenAI-compatible `/v1/chat/completions` cannot set the
 * context size per request (Ollama's OpenAI-compatibility docs; ollama/ollama#2677, #5356), and Ollama
 * silently truncates prompts beyond its default context. Every request therefore carries
 * `options.num_ctx`, sized from the request's budget (see ollama-num-ctx.ts).
 */
import { createOllama } from "ollama-ai-provider-v2";
import { SdkProvider } from "../ai-sdk/sdk-provider.ts";
import type { Provider, ProviderRequest } from "../types.ts";
import { DEFAULT_LOCAL_ORIGINS, serverRoot } from "./discovery.ts";
import { numCtxOf } from "./ollama-num-ctx.ts";
import { withOllamaOptions } from "./ollama-options.ts";
import { guardOllamaChatFetch } from "./ollama-stream-guard.ts";

/** Options of {@link createOllamaProvider}. `baseURL` may be the origin, `…/v1` or `…/api`; default `http://127.0.0.1:11434`. */
export interface OllamaProviderOptions {
  baseURL?: string;
  /** Sent as `Authorization: Bearer <apiKey>` (for Ollama behind an authenticating proxy). */
  apiKey?: string;
  fetch?: typeof fetch;
}

/**
 * Creates the `ollama` provider. Each `stream(request)` sends `num_ctx` (`request.numCtx`, else sized from
 * `request.contextBudget` by numCtxOf; omitted only when the request has neither) to `<root>/api/chat`. Errors are those of `SdkProvider` (a `ProviderError`),
 * plus a transient `ProviderError` for an `{"error"}` line or a missing final `done` line mid-stream
 * (see ollama-stream-guard.ts).
 */
export function createOllamaProvider(opts: OllamaProviderOptions = {}): Provider {
  const root = serverRoot(opts.baseURL ?? DEFAULT_LOCAL_ORIGINS.ollama);
  const ollama = createOllama({
    baseURL: `${root}/api`,
    // Surfaces in-stream errors and truncated streams, which the SDK would pass off as complete.
    fetch: guardOllamaChatFetch(opts.fetch ?? ((input, init) => fetch(input, init))),
    ...(opts.apiKey ? { headers: { Authorization: `Bearer ${opts.apiKey}` } } : {}),
  });
  return {
    name: "ollama",
    stream(request: ProviderRequest) {
      const sdk = new SdkProvider({
        name: "ollama",
        model: (modelId: string) => withOllamaOptions(ollama(modelId), numCtxOf(request)),
      });
      return sdk.stream(request);
    },
  };
}
