/**
 * Builds a `Provider` for a provider name over the matching AI SDK package. Ollama and the embedded
 * node-llama-cpp model have their own modules (src/provider/local/**); everything else goes through
 * `SdkProvider`. Each vendor SDK is imported on the provider's first request (20–100 ms each at start-up
 * otherwise, issue 10), so a run loads only the one it uses.
 */
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { API_KEY_ENV, resolveApiKey } from "./ai-sdk/api-key-env.ts";
import { SdkProvider } from "./ai-sdk/sdk-provider.ts";
import { ProviderError } from "./errors.ts";
import type { Provider, ProviderName } from "./types.ts";

export { API_KEY_ENV, resolveApiKey };

/**
 * Default base URLs of the local OpenAI-compatible servers (each server's own default port:
 * llama-server 8080, LM Studio 1234, Ollama 11434; gnoma §3 uses the same for llama.cpp and Ollama).
 */
export const DEFAULT_BASE_URLS: Readonly<Record<"llamacpp" | "lmstudio" | "ollama", string>> = {
  llamacpp: "http://127.0.0.1:8080/v1",
  lmstudio: "http://127.0.0.1:1234/v1",
  ollama: "http://127.0.0.1:11434/v1",
};

/** Providers `createProvider` builds (Ollama and embedded have their own modules). */
export type SdkProviderName = Exclude<ProviderName, "embedded" | "ollama">;

/**
 * Options for `createProvider`. `baseURL` overrides the provider's endpoint (required for
 * `openai-compatible`); `apiKey` overrides the key from the environment (see `API_KEY_ENV`);
 * `headers` are sent with every request; `fetch` replaces the HTTP client (tests, proxies).
 */
export interface ProviderOptions {
  name: SdkProviderName;
  baseURL?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/**
 * Creates a provider:
 * - `anthropic` (@ai-sdk/anthropic), `openai` (@ai-sdk/openai, chat-completions API), `google`
 *   (@ai-sdk/google), `mistral` (@ai-sdk/mistral): key from `apiKey` or the environment (an empty
 *   variable counts as unset). A missing key does not throw here; every request then fails, before any
 *   HTTP call, with a `ProviderError` of kind `auth` naming the env vars (so other arms keep working, as
 *   gnoma's stubProvider). With a `baseURL` override (a proxy) the key check is left to the SDK.
 * - `openai-compatible` (baseURL required), `llamacpp` (default http://127.0.0.1:8080/v1), `lmstudio`
 *   (default http://127.0.0.1:1234/v1): @ai-sdk/openai-compatible with `stream_options.include_usage`.
 * No SDK-level retries exist on these model APIs; the engine owns retries.
 * Throws a `ProviderError` (kind `bad_request`) when `openai-compatible` has no `baseURL`, or when
 * `name` is not a provider this factory builds.
 */
export function createProvider(opts: ProviderOptions): Provider {
  const apiKey = resolveApiKey(opts.name, opts.apiKey);
  const keyVars = API_KEY_ENV[opts.name] ?? [];
  if (apiKey === undefined && keyVars.length > 0 && opts.baseURL === undefined)
    return missingKeyProvider(opts.name, keyVars);
  const common = {
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
  };
  let model: (modelId: string) => Promise<LanguageModelV4>;
  switch (opts.name) {
    case "anthropic": {
      const p = once(async () => (await import("@ai-sdk/anthropic")).createAnthropic(common));
      model = async (id) => (await p()).languageModel(id);
      break;
    }
    case "openai": {
      const p = once(async () => (await import("@ai-sdk/openai")).createOpenAI(common));
      model = async (id) => (await p()).chat(id);
      break;
    }
    case "google": {
      const p = once(async () => (await import("@ai-sdk/google")).createGoogleGenerativeAI(common));
      model = async (id) => (await p()).languageModel(id);
      break;
    }
    case "mistral": {
      const p = once(async () => (await import("@ai-sdk/mistral")).createMistral(common));
      model = async (id) => (await p()).chat(id);
      break;
    }
    case "openai-compatible":
    case "llamacpp":
    case "lmstudio": {
      const baseURL =
        opts.baseURL ?? (opts.name === "openai-compatible" ? undefined : DEFAULT_BASE_URLS[opts.name]);
      if (!baseURL) {
        throw new ProviderError({
          kind: "bad_request",
          provider: opts.name,
          retryable: false,
          message: "openai-compatible: no base URL given: this provider needs the server's address",
          hint: "pass --base-url (e.g. --base-url http://127.0.0.1:8000/v1) or set it in the config",
        });
      }
      const name = opts.name;
      const p = once(async () =>
        (await import("@ai-sdk/openai-compatible")).createOpenAICompatible({
          ...common,
          name,
          baseURL,
          includeUsage: true,
        }),
      );
      model = async (id) => (await p()).chatModel(id);
      break;
    }
    default: {
      const name: string = opts.name;
      throw new ProviderError({
        kind: "bad_request",
        provider: name,
        retryable: false,
        message: `unknown provider "${name}"`,
        hint: "use one of anthropic, openai, google, mistral, openai-compatible, llamacpp, lmstudio, ollama, embedded",
      });
    }
  }
  return new SdkProvider({ name: opts.name, model });
}

/** `make()` on the first call, its promise on every later one. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/** A provider whose every request fails with an `auth` ProviderError (no API key configured). */
function missingKeyProvider(name: SdkProviderName, keyVars: string[]): Provider {
  return {
    name,
    // biome-ignore lint/correctness/useYield: fails before producing any event, by design.
    async *stream() {
      throw new ProviderError({
        kind: "auth",
        provider: name,
        retryable: false,
        message: `${name}: no API key configured`,
        hint: `set ${keyVars.join(" or ")} or pass --api-key`,
      });
    },
  };
}
