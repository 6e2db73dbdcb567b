/**
 * Makes failures inside an Ollama `/api/chat` stream visible. Ollama reports an error that happens after
 * the HTTP 200 as an NDJSON line `{"error":"…"}` (its server's streamResponse), and a stream cut short
 * simply ends without the final `"done":true` line. ollama-ai-provider-v2 drops lines that fail its
 * chunk schema (with a console warning) and then finishes normally, so without this guard a failed or
 * truncated answer reaches the engine as a complete `end_turn`.
 */
import { classifyError, ProviderError } from "../errors.ts";

/**
 * Returns a fetch that passes every response through unchanged except a successful `/api/chat` response
 * body, which is re-streamed line by line: an `{"error": …}` line errors the body with a `ProviderError`
 * ("ollama: error in stream: …", classified as errors.ts does for in-stream errors, normally transient
 * and retryable), and a body that ends without a `"done": true` line errors with a transient, retryable
 * `ProviderError`. Lines before the failure are delivered first. Aborts pass through unchanged.
 */
export function guardOllamaChatFetch(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!res.ok || res.body === null || !new URL(url).pathname.endsWith("/api/chat")) return res;
    return new Response(res.body.pipeThrough(chatStreamGuard()), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

function chatStreamGuard(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = "";
  let sawDone = false;
  /** Checks one complete line; returns the error to fail with, if it reports one. */
  const check = (line: string): unknown => {
    const trimmed = line.trim();
    if (trimmed === "") return undefined;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return undefined; // not JSON: left to the SDK (and to the missing-done check)
    }
    if (value === null || typeof value !== "object") return undefined;
    const rec = value as { error?: unknown; done?: unknown };
    if (rec.done === true) sawDone = true;
    if (rec.error === undefined || rec.error === null) return undefined;
    const message = typeof rec.error === "string" ? rec.error : JSON.stringify(rec.error);
    return classifyError({ message }, "ollama");
  };
  const pass = (
    text: string,
    controller: TransformStreamDefaultController<Uint8Array>,
    final: boolean,
  ): boolean => {
    buffer += text;
    const lines = buffer.split("\n");
    buffer = final ? "" : (lines.pop() ?? "");
    for (const line of lines) {
      const error = check(line);
      if (error !== undefined) {
        controller.error(error);
        return false;
      }
      if (!(final && line === "")) controller.enqueue(encoder.encode(`${line}\n`));
    }
    return true;
  };
  return new TransformStream({
    transform(chunk, controller) {
      pass(decoder.decode(chunk, { stream: true }), controller, false);
    },
    flush(controller) {
      if (!pass(decoder.decode(), controller, true)) return;
      if (!sawDone)
        controller.error(
          new ProviderError({
            kind: "transient",
            provider: "ollama",
            retryable: true,
            message: "ollama: the stream ended before Ollama's final done line (output may be incomplete)",
          }),
        );
    },
  });
}
