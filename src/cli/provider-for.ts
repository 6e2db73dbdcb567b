import { createProvider } from "../provider/factory.ts";
import { createOllamaProvider } from "../provider/local/ollama.ts";
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
  local: boolean;
  /** False when the model cannot take native tool schemas: tools then travel as text in the system prompt. */
  toolUse?: boolean;
  /** Embedded only: load the model on first use instead of now (router arms that may never be chosen). */
  lazy?: boolean;
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
  switch (spec.provider) {
    case "embedded": {
      const { EmbeddedProvider } = await import("../provider/local/embedded.ts");
      if (!spec.modelPath)
        throw new Error("the embedded provider needs a GGUF model: pass --model /path/to/model.gguf");
      // Loaded now (≈1 s for a small model): its context size and tokenizer feed the prompt budget.
      provider = await EmbeddedProvider.load({
        modelPath: spec.modelPath,
        ...(spec.contextWindow ? { contextSize: spec.contextWindow } : {}),
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
