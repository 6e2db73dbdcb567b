import type { Message } from "../message/types.ts";
import type { StreamEvent } from "../stream/events.ts";

/** A JSON Schema object (draft-07 subset) describing a tool's parameters. */
export type JSONSchema = Record<string, unknown>;

/** One tool offered to the model: name, short description and parameter schema. */
export interface ToolSchema {
  name: string;
  description: string;
  inputSchema: JSONSchema;
}

/** `auto`: the model may call tools; `required`: it must call one; `none`: it must not. */
export type ToolChoice = "auto" | "required" | "none";

/** One model request. `messages` never contains the system prompt; `system` travels separately. */
export interface ProviderRequest {
  model: string;
  system: string;
  messages: Message[];
  tools: ToolSchema[];
  /** Default `auto` when tools are present. */
  toolChoice?: ToolChoice;
  /** Output budget in tokens. */
  maxOutputTokens?: number;
  temperature?: number;
  /** Seed for reproducible sampling, where the server honours it. */
  seed?: number;
  /**
   * How the engine budgeted this request, when the arm's context window is known. Providers that allocate the
   * context per request size it from this (Ollama's `num_ctx`, see local/ollama-num-ctx.ts); others ignore it.
   */
  contextBudget?: ContextBudget;
  /**
   * Ollama only: the context size (tokens) to ask for with `num_ctx`, as given; when absent it is sized from
   * `contextBudget`. Ignored elsewhere.
   */
  numCtx?: number;
  signal?: AbortSignal;
}

/** The prompt budget of one request, in tokens (see ProviderRequest.contextBudget). */
export interface ContextBudget {
  /** The prompt (system + tools + messages) as the engine measured it; often an estimate. */
  promptTokens: number;
  /** Tokens kept free for the answer. */
  outputReserve: number;
  /** The arm's context window, the most the model can take. */
  contextWindow: number;
}

/** Names of the supported providers, as a runtime list. */
export const PROVIDER_NAMES = [
  "anthropic",
  "openai",
  "google",
  "mistral",
  "openai-compatible",
  "llamacpp",
  "ollama",
  "lmstudio",
  "embedded",
] as const;

/** One of {@link PROVIDER_NAMES}. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * A model endpoint. `stream` yields normalised events for one request and throws a `ProviderError`
 * (see errors.ts) when the request fails, either before the first event (HTTP status, unreachable
 * endpoint) or mid-stream. Implementations do not retry: the engine owns retries.
 */
export interface Provider {
  /** Provider name, e.g. "openai", "llamacpp". */
  readonly name: ProviderName;
  /** Streams one request. */
  stream(request: ProviderRequest): AsyncIterable<StreamEvent>;
  /**
   * Optional ability: the context window in tokens, when the provider knows it (the embedded runtime once
   * loaded; undefined before). Decorators pass it through.
   */
  readonly contextWindow?: number | undefined;
  /**
   * Optional ability: counts the tokens of `text` with the model's own tokenizer (the embedded runtime).
   * Only usable once `contextWindow` is defined: a model that is not loaded yet throws an Error.
   */
  countTokens?(text: string): number;
}
