/**
 * Normalises an AI SDK LanguageModelV4 stream into owlet `StreamEvent`s (see src/stream/events.ts for the
 * ordering contract: tool_call_start → tool_call_delta* → tool_call_done per call, then usage, then one finish).
 */
import type {
  LanguageModelV4FinishReason,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import type { StopReason, Usage } from "../../message/types.ts";
import type { StreamEvent } from "../../stream/events.ts";
import { classifyError, ProviderError } from "../errors.ts";

/** Options for `fromV4Stream`: the request's abort signal, so a cancelled request's error passes through unclassified. */
export interface FromStreamOptions {
  signal?: AbortSignal;
}

/**
 * Maps a V4 finish reason to a stop reason: stop → end_turn, length → max_tokens, tool-calls → tool_use,
 * anything else → end_turn; `tool_use` whenever the stream carried tool calls (some servers say `stop`
 * after tool calls, as gnoma's OpenAI adapter infers) unless it stopped at the length limit: then `max_tokens`, so
 * the engine knows the calls may be cut off and does not run them.
 */
export function toStopReason(
  reason: LanguageModelV4FinishReason["unified"],
  sawToolCalls: boolean,
): StopReason {
  if (reason === "length") return "max_tokens";
  if (sawToolCalls) return "tool_use";
  if (reason === "tool-calls") return "tool_use";
  return "end_turn";
}

/** Converts V4 usage to owlet usage (tokens); undefined when the server reported neither input nor output counts. */
export function toUsage(usage: LanguageModelV4Usage | undefined): Usage | undefined {
  if (!usage) return undefined;
  const input = usage.inputTokens.total;
  const output = usage.outputTokens.total;
  if (input === undefined && output === undefined) return undefined;
  const out: Usage = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  if (usage.inputTokens.cacheRead !== undefined) out.cacheReadTokens = usage.inputTokens.cacheRead;
  if (usage.inputTokens.cacheWrite !== undefined) out.cacheWriteTokens = usage.inputTokens.cacheWrite;
  return out;
}

function anthropicSignature(meta: unknown): string | undefined {
  const sig = (meta as { anthropic?: { signature?: unknown } } | undefined)?.anthropic?.signature;
  return typeof sig === "string" ? sig : undefined;
}

/** Gemini's thought signature on a function call (`providerMetadata.google.thoughtSignature`), if any. */
function googleSignature(meta: unknown): string | undefined {
  const sig = (meta as { google?: { thoughtSignature?: unknown } } | undefined)?.google?.thoughtSignature;
  return typeof sig === "string" ? sig : undefined;
}

/**
 * Reads a V4 stream and yields owlet events:
 * text-delta → text_delta; reasoning-delta → reasoning_delta (with the Anthropic signature when the part
 * carries one); tool-input-start / tool-input-delta → tool_call_start / tool_call_delta; tool-call →
 * tool_call_done (preceded by a tool_call_start when the provider sent no input-start, e.g. Google; with
 * Gemini's thought signature when the part carries one);
 * response-metadata → the model id reported in `finish.model`; finish → `usage` (when reported) then
 * `finish`. Errors: an `error` part, or the stream itself failing (socket reset mid-stream), throws
 * `classifyError(err, provider)` — normally a `ProviderError`; an abort passes through unchanged. An `error`
 * part whose value classifyError does not recognise (a bare string, a schema error) still throws a
 * transient, retryable `ProviderError`.
 * A finish of kind `interrupted` (the server closed the stream without a completion signal, output may
 * be cut short) throws a transient, retryable `ProviderError` rather than passing truncated output as done;
 * so does a finish of kind `error` (e.g. Gemini's MALFORMED_FUNCTION_CALL), naming the raw finish reason,
 * and a stream that ends with no finish part at all (unless the request was aborted).
 */
export async function* fromV4Stream(
  stream: ReadableStream<LanguageModelV4StreamPart>,
  provider: string,
  opts: FromStreamOptions = {},
): AsyncGenerator<StreamEvent> {
  const reader = stream.getReader();
  const started = new Set<string>();
  let sawToolCalls = false;
  let model: string | undefined;
  let finished = false;
  const fail = (err: unknown) => classifyError(err, provider, opts.signal ? { signal: opts.signal } : {});
  // An `error` part is the provider reporting a failed response, never a bug in owlet: when
  // classifyError does not recognise its value (a bare string, a schema error), it is still a transient
  // ProviderError, not a raw value thrown at the engine. Aborts pass through.
  const inStreamFailure = (err: unknown): unknown => {
    const classified = fail(err);
    if (classified instanceof ProviderError || opts.signal?.aborted) return classified;
    if (
      classified instanceof Error &&
      (classified.name === "AbortError" || classified.name === "ResponseAborted")
    )
      return classified;
    const detail = err instanceof Error ? err.message : typeof err === "string" ? err : JSON.stringify(err);
    return new ProviderError({
      kind: "transient",
      provider,
      retryable: true,
      message: `${provider}: error in stream: ${detail}`,
      cause: err,
    });
  };
  try {
    while (true) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (err) {
        throw fail(err);
      }
      if (next.done) {
        // Every V4 provider ends a good response with a finish part; a stream that just stops (e.g.
        // @ai-sdk/anthropic reading an HTML or empty 200 body) is a failed response, not an empty answer.
        if (finished || opts.signal?.aborted) return;
        throw new ProviderError({
          kind: "transient",
          provider,
          retryable: true,
          message: `${provider}: the response stream ended without a finish (no valid events were received, or the output was cut short)`,
        });
      }
      const part = next.value;
      switch (part.type) {
        case "text-delta":
          if (part.delta.length > 0) yield { type: "text_delta", text: part.delta };
          break;
        case "reasoning-delta": {
          const signature = anthropicSignature(part.providerMetadata);
          if (part.delta.length > 0 || signature !== undefined)
            yield signature !== undefined
              ? { type: "reasoning_delta", text: part.delta, signature }
              : { type: "reasoning_delta", text: part.delta };
          break;
        }
        case "reasoning-end": {
          const signature = anthropicSignature(part.providerMetadata);
          if (signature !== undefined) yield { type: "reasoning_delta", text: "", signature };
          break;
        }
        case "tool-input-start":
          if (part.providerExecuted) break;
          started.add(part.id);
          sawToolCalls = true;
          yield { type: "tool_call_start", id: part.id, name: part.toolName };
          break;
        case "tool-input-delta":
          if (started.has(part.id) && part.delta.length > 0)
            yield { type: "tool_call_delta", id: part.id, delta: part.delta };
          break;
        case "tool-call":
          if (part.providerExecuted) break;
          sawToolCalls = true;
          if (!started.has(part.toolCallId)) {
            started.add(part.toolCallId);
            yield { type: "tool_call_start", id: part.toolCallId, name: part.toolName };
          }
          {
            const signature = googleSignature(part.providerMetadata);
            yield {
              type: "tool_call_done",
              id: part.toolCallId,
              name: part.toolName,
              arguments: part.input,
              ...(signature !== undefined ? { signature } : {}),
            };
          }
          break;
        case "response-metadata":
          if (part.modelId) model = part.modelId;
          break;
        case "error":
          throw inStreamFailure(part.error);
        case "finish": {
          if (part.finishReason.unified === "interrupted") {
            throw new ProviderError({
              kind: "transient",
              provider,
              retryable: true,
              message: `${provider}: the stream ended without a finish reason (output may be incomplete)`,
            });
          }
          if (part.finishReason.unified === "error") {
            // The server ended the response as failed without an error event, e.g. Gemini's
            // MALFORMED_FUNCTION_CALL (an unparsable tool call, no content): a sampled failure worth a retry,
            // not a finished answer.
            const raw = part.finishReason.raw;
            throw new ProviderError({
              kind: "transient",
              provider,
              retryable: true,
              message: `${provider}: the response ended with an error${raw ? ` (finish reason ${raw})` : ""}`,
            });
          }
          const usage = toUsage(part.usage);
          if (usage) yield { type: "usage", usage };
          const stopReason = toStopReason(part.finishReason.unified, sawToolCalls);
          finished = true;
          yield model !== undefined ? { type: "finish", stopReason, model } : { type: "finish", stopReason };
          break;
        }
        default:
          break;
      }
    }
  } finally {
    // Stop the underlying HTTP stream when the consumer breaks out early or an error is thrown.
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
