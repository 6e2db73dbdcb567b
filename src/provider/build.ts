/**
 * The one place a Provider is built for an arm: the base provider for the spec (an AI SDK adapter, Ollama's
 * native API, a local model server, or the embedded runtime), then the caller's decorators in order.
 */
import { createProvider } from "./factory.ts";
import { createOllamaProvider } from "./local/ollama.ts";
import {
  createLocalServerProvider,
  isServerProvider,
  type LocalServerSettings,
} from "./local/server/provider.ts";
import type { Provider, ProviderName } from "./types.ts";

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
  /** The arm runs on this machine or a local server (loopback, a configured local URL, embedded). */
  local: boolean;
  /** False when the model cannot take native tool schemas: tools then travel as text in the system prompt. */
  toolUse?: boolean;
  /**
   * Embedded only: load the model on first use instead of now (router arms that may never be chosen). Not honoured
   * yet: the embedded model is loaded when the provider is built.
   */
  lazy?: boolean;
  /** Local server arms (openai-compatible/llamacpp/lmstudio/ollama with `local`): caps, constraint, limits (issue 16). */
  localServer?: LocalServerSettings;
}

/**
 * Wraps a provider built for `spec` with one more behaviour (text tool calls, redaction, …) and returns the
 * wrapper, or `provider` itself when the behaviour does not apply to this spec. A decorator must keep the inner
 * provider's optional abilities (`contextWindow`, `countTokens`, …) visible.
 */
export type ProviderDecorator = (provider: Provider, spec: ProviderSpec) => Provider;

/**
 * Builds the Provider for an arm, then applies `decorators` in order (the first wraps the base provider).
 * - A local server (`spec.local` and a server provider name: openai-compatible, llamacpp, lmstudio, ollama) gets
 *   the local-server provider (issue 16: caps, server-kind detection, constraints) whatever name was picked.
 * - `embedded`: the node-llama-cpp runtime, imported lazily (it loads only when an embedded arm is used) and
 *   loaded now (≈1 s for a small model: its context size and tokenizer feed the prompt budget).
 * - `ollama` (not local): Ollama's native API; anything else: the AI SDK adapters of factory.ts.
 * Throws a ProviderError (kind `bad_request`) for an openai-compatible spec without a base URL, an Error when an
 * embedded spec has no model path, and the runtime's Error when the model file cannot be loaded.
 */
export async function buildProvider(
  spec: ProviderSpec,
  decorators: readonly ProviderDecorator[] = [],
): Promise<Provider> {
  let provider = await baseProvider(spec);
  for (const decorate of decorators) provider = decorate(provider, spec);
  return provider;
}

/** The undecorated provider for `spec` (see {@link buildProvider}). */
async function baseProvider(spec: ProviderSpec): Promise<Provider> {
  const endpoint = {
    ...(spec.baseURL ? { baseURL: spec.baseURL } : {}),
    ...(spec.apiKey ? { apiKey: spec.apiKey } : {}),
  };
  if (spec.local && isServerProvider(spec.provider)) {
    return createLocalServerProvider({
      name: spec.provider,
      ...endpoint,
      ...(spec.localServer ? { settings: spec.localServer } : {}),
    });
  }
  switch (spec.provider) {
    case "embedded": {
      const { EmbeddedProvider } = await import("./local/embedded.ts");
      if (!spec.modelPath)
        throw new Error("the embedded provider needs a GGUF model: pass --model /path/to/model.gguf");
      return EmbeddedProvider.load({
        modelPath: spec.modelPath,
        ...(spec.contextWindow ? { contextSize: spec.contextWindow } : {}),
        ...(spec.threads ? { threads: spec.threads } : {}),
      });
    }
    case "ollama":
      return createOllamaProvider(endpoint);
    default:
      return createProvider({ name: spec.provider, ...endpoint });
  }
}
