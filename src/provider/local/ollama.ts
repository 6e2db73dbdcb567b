/**
 * The Ollama provider. It talks to Ollama's native `/api/chat` through the community AI SDK provider
 * `ollama-ai-provider-v2`, because Ollama's OpenAI-compatible `/v1/chat/completions` cannot set the
 * context size per request (Ollama's OpenAI-compatibility docs; ollama/ollama#2677, #5356), and Ollama
 * silently truncates prompts beyond its default context. Every request therefore carries
 * `options.num_ctx`, sized from the request's budget (see ollama-num-ctx.ts).
 */
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { SdkProvider } from "../ai-sdk/sdk-provider.ts";
import type { Provider, ProviderRequest } from "../types.ts";
import { DEFAULT_LOCAL_ORIGINS, serverRoot } from "./discovery.ts";
import { numCtxOf } from "./ollama-num-ctx.ts";
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
 * (see ollama-stream-guard.ts). The SDK (and the `ai` package its options wrapper needs) is imported on the
 * first request.
 */
export function createOllamaProvider(opts: OllamaProviderOptions = {}): Provider {
  const root = serverRoot(opts.baseURL ?? DEFAULT_LOCAL_ORIGINS.ollama);
  let loaded: Promise<(modelId: string, numCtx: number | undefined) => LanguageModelV4> | undefined;
  const load = async () => {
    const [{ createOllama }, { withOllamaOptions }] = await Promise.all([
      import("ollama-ai-provider-v2"),
      import("./ollama-options.ts"),
    ]);
    const ollama = createOllama({
      baseURL: `${root}/api`,
      // Surfaces in-stream errors and truncated streams, which the SDK would pass off as complete.
      fetch: guardOllamaChatFetch(opts.fetch ?? ((input, init) => fetch(input, init))),
      ...(opts.apiKey ? { headers: { Authorization: `Bearer ${opts.apiKey}` } } : {}),
    });
    return (modelId: string, numCtx: number | undefined) => withOllamaOptions(ollama(modelId), numCtx);
  };
  return {
    name: "ollama",
    stream(request: ProviderRequest) {
      const sdk = new SdkProvider({
        name: "ollama",
        model: async (modelId: string) => {
          loaded ??= load();
          return (await loaded)(modelId, numCtxOf(request));
        },
      });
      return sdk.stream(request);
    },
  };
}
