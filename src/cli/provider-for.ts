import type { OwletConfig } from "../config/schema.ts";
import { createProvider } from "../provider/factory.ts";
import { createOllamaProvider } from "../provider/local/ollama.ts";
import {
  createLocalServerProvider,
  isServerProvider,
  type LocalServerSettings,
} from "../provider/local/server/provider.ts";
import { withTextToolCalls } from "../provider/textcalls/text-tool-provider.ts";
import type { Provider, ProviderName } from "../provider/types.ts";

/** What it takes to build one arm's Provider. */
export interface ProviderSpec {
  provider: ProviderName;
  baseURL?: string;
  apiKey?: string;
  /** Embedded only: the GGUF file. */
  modelPath?: string;
  /** Tokens; embedded only: the context size to allocate. */
  contextWindow?: number;
  /** Embedded only: CPU threads (default: one fewer than the usable cores). */
  threads?: number;
  local: boolean;
  /** False when the model cannot take native tool schemas: tools then travel as text in the system prompt. */
  toolUse?: boolean;
  /** Embedded only: load the model on first use instead of now (router arms that may never be chosen). */
  lazy?: boolean;
  /** Local server arms (openai-compatible/llamacpp/lmstudio/ollama with `local`): caps, constraint, limits (issue 16). */
  localServer?: LocalServerSettings;
}

/**
 * Builds the Provider for an arm. Local arms, the embedded one included, are wrapped in the text tool-call layer:
 * `always` (tools rendered into the prompt, calls parsed from text) when the model has no native tool calling,
 * else `fallback` (native tools, and calls a small model prints as text are parsed too: Qwen2.5-Coder on the
 * embedded runtime often writes a bare `{"name": …, "arguments": …}` instead of its `<tool_call>` form). The embedded runtime is imported
 * lazily: node-llama-cpp loads only when an embedded arm is used.
 */
export async function providerFor(spec: ProviderSpec): Promise<Provider> {
  let provider: Provider;
  if (spec.local && isServerProvider(spec.provider)) {
    // Issue 16: a local server gets the same caps, detection and constraints whatever provider name was picked.
    provider = createLocalServerProvider({
      name: spec.provider,
      ...(spec.baseURL ? { baseURL: spec.baseURL } : {}),
      ...(spec.apiKey ? { apiKey: spec.apiKey } : {}),
      ...(spec.localServer ? { settings: spec.localServer } : {}),
    });
    return withTextToolCalls(provider, { mode: spec.toolUse === false ? "always" : "fallback" });
  }
  switch (spec.provider) {
    case "embedded": {
      const { EmbeddedProvider } = await import("../provider/local/embedded.ts");
      if (!spec.modelPath)
        throw new Error("the embedded provider needs a GGUF model: pass --model /path/to/model.gguf");
      // Loaded now (≈1 s for a small model): its context size and tokenizer feed the prompt budget.
      provider = await EmbeddedProvider.load({
        modelPath: spec.modelPath,
        ...(spec.contextWindow ? { contextSize: spec.contextWindow } : {}),
        ...(spec.threads ? { threads: spec.threads } : {}),
      });
      break;
    }
    case "ollama":
      provider = createOllamaProvider({
        ...(spec.baseURL ? { baseURL: spec.baseURL } : {}),
        ...(spec.apiKey ? { apiKey: spec.apiKey } : {}),
      });
      break;
    default:
      provider = createProvider({
        name: spec.provider,
        ...(spec.baseURL ? { baseURL: spec.baseURL } : {}),
        ...(spec.apiKey ? { apiKey: spec.apiKey } : {}),
      });
  }
  if (spec.toolUse === false) return withTextToolCalls(provider, { mode: "always" });
  if (spec.local) return withTextToolCalls(provider, { mode: "fallback" });
  return provider;
}

/** `[local_server]` config → the local-server provider's settings (unset keys keep the provider's defaults). */
export function localServerSettings(c: OwletConfig["local_server"]): LocalServerSettings {
  const caps = {
    ...(c.max_tokens_select ? { select: c.max_tokens_select } : {}),
    ...(c.max_tokens_call ? { call: c.max_tokens_call } : {}),
    ...(c.max_tokens_write ? { write: c.max_tokens_write } : {}),
    ...(c.max_tokens_answer ? { answer: c.max_tokens_answer } : {}),
  };
  return {
    caps,
    ...(c.constrain !== undefined ? { constrain: c.constrain } : {}),
    ...(c.cache_prompt !== undefined ? { cachePrompt: c.cache_prompt } : {}),
    ...(c.generation_seconds !== undefined ? { generationSeconds: c.generation_seconds } : {}),
    ...(c.min_tokens_per_second !== undefined ? { minTokensPerSecond: c.min_tokens_per_second } : {}),
  };
}

/** Whether `baseURL` is one of `[local_server] base_urls` (compared without trailing `/` or `/v1`). */
export function isConfiguredLocal(baseURL: string | undefined, c: OwletConfig["local_server"]): boolean {
  if (!baseURL || !c.base_urls) return false;
  const norm = (u: string) => u.trim().replace(/\/+$/, "").replace(/\/v1$/, "");
  return c.base_urls.some((u) => norm(u) === norm(baseURL));
}
