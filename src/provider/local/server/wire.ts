/**
 * The HTTP side of the local-server provider: a fetch that adds owlet's fields to the JSON body of a
 * chat request and watches the response stream for what the SDK drops (llama.cpp's prompt progress and
 * timings, Ollama's eval counts), without changing a byte of it.
 */

/** llama.cpp's `timings` object (server-task.cpp `result_timings`); counts in tokens, times in ms. */
export interface ServerTimings {
  /** Prompt tokens evaluated in this request (not taken from the cache). */
  promptN?: number;
  /** Prompt tokens reused from the KV cache. */
  cacheN?: number;
  promptMs?: number;
  /** Tokens generated. */
  predictedN?: number;
  predictedMs?: number;
}

/** What the wire told about one request so far. Timestamps from `Date.now()`, ms. */
export interface WireObservation {
  /** The JSON body as sent (after the patch). */
  sentBody?: Record<string, unknown>;
  /**
   * When the server reported the whole prompt taken into the batch (llama.cpp `prompt_progress.processed ≥
   * total`). The last batch is still being evaluated then, so this is not yet generation.
   */
  promptDoneAt?: number;
  /**
   * When generation began: llama.cpp (a server that sent `prompt_progress`) streams one chunk per generated token
   * even while it holds the text back for its tool-call parser (the first carries the assistant role), so the
   * first chunk without `prompt_progress` after progress marks the first token; other servers: the first
   * non-empty content. The generation-time limit counts from here, so a long prompt read is never cut.
   */
  generationAt?: number;
  /** Latest llama.cpp `prompt_progress`. */
  progress?: { total: number; cache: number; processed: number; timeMs: number };
  /** When the first generated content (text, reasoning or a tool-call fragment) arrived. */
  firstTokenAt?: number;
  /** The last `timings` the server sent (llama.cpp: on the final chunk). */
  timings?: ServerTimings;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Whether a URL is a chat endpoint this wrapper patches: OpenAI `…/chat/completions` or Ollama `…/api/chat`. */
function isChatURL(url: string): boolean {
  const path = new URL(url).pathname;
  return path.endsWith("/chat/completions") || path.endsWith("/api/chat");
}

/**
 * Returns a fetch over `base` for one request: a POST with a JSON body to a chat endpoint gets `extra`
 * merged into its body (top-level keys replaced; an `options` object, Ollama's, merged key by key), and
 * the body as sent is recorded in `observe.sentBody`. A successful streamed response is passed through
 * unchanged while its events are read into `observe` (SSE `data:` lines and Ollama's NDJSON lines).
 * Any other request passes through untouched. Errors of `base` propagate.
 */
export function localServerFetch(
  base: typeof fetch,
  extra: Record<string, unknown>,
  observe: WireObservation,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!isChatURL(url) || typeof init?.body !== "string") return base(input, init);
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(init.body);
      if (!isRecord(parsed)) return base(input, init);
      body = parsed;
    } catch {
      return base(input, init);
    }
    for (const [k, v] of Object.entries(extra)) {
      if (k === "options" && isRecord(v) && isRecord(body.options)) body.options = { ...body.options, ...v };
      else body[k] = v;
    }
    observe.sentBody = body;
    const res = await base(input, { ...init, body: JSON.stringify(body) });
    if (!res.ok || res.body === null) return res;
    return new Response(res.body.pipeThrough(observer(observe)), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

function observer(observe: WireObservation): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let buffer = "";
  const line = (raw: string) => {
    let text = raw.trim();
    if (text.startsWith("data:")) text = text.slice(5).trim();
    if (text === "" || text === "[DONE]" || !text.startsWith("{")) return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(text);
    } catch {
      return;
    }
    if (isRecord(chunk)) read(chunk, observe);
  };
  return new TransformStream({
    transform(bytes, controller) {
      controller.enqueue(bytes);
      buffer += decoder.decode(bytes, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const l of lines) line(l);
    },
    flush() {
      line(buffer + decoder.decode());
    },
  });
}

/** Reads one decoded event (an OpenAI chunk with llama.cpp extras, or an Ollama `/api/chat` line). */
function read(chunk: Record<string, unknown>, observe: WireObservation): void {
  const now = Date.now();
  const progress = chunk.prompt_progress;
  if (isRecord(progress)) {
    const p = {
      total: num(progress.total) ?? 0,
      cache: num(progress.cache) ?? 0,
      processed: num(progress.processed) ?? 0,
      timeMs: num(progress.time_ms) ?? 0,
    };
    observe.progress = p;
    if (p.total > 0 && p.processed >= p.total) observe.promptDoneAt ??= now;
  }
  const timings = chunk.timings;
  if (isRecord(timings)) {
    observe.timings = {
      ...(num(timings.prompt_n) !== undefined ? { promptN: num(timings.prompt_n) } : {}),
      ...(num(timings.cache_n) !== undefined ? { cacheN: num(timings.cache_n) } : {}),
      ...(num(timings.prompt_ms) !== undefined ? { promptMs: num(timings.prompt_ms) } : {}),
      ...(num(timings.predicted_n) !== undefined ? { predictedN: num(timings.predicted_n) } : {}),
      ...(num(timings.predicted_ms) !== undefined ? { predictedMs: num(timings.predicted_ms) } : {}),
    };
  }
  // Ollama's final line: prompt_eval_count (tokens evaluated), eval_count; durations in ns.
  if (chunk.done === true && num(chunk.prompt_eval_count) !== undefined) {
    observe.timings = {
      promptN: num(chunk.prompt_eval_count),
      ...(num(chunk.eval_count) !== undefined ? { predictedN: num(chunk.eval_count) } : {}),
      ...(num(chunk.prompt_eval_duration) !== undefined
        ? { promptMs: num(chunk.prompt_eval_duration)! / 1e6 }
        : {}),
      ...(num(chunk.eval_duration) !== undefined ? { predictedMs: num(chunk.eval_duration)! / 1e6 } : {}),
    };
  }
  if (observe.firstTokenAt === undefined && hasContent(chunk)) {
    observe.firstTokenAt = now;
    observe.generationAt ??= now;
  }
  if (
    observe.progress !== undefined &&
    !isRecord(progress) &&
    Array.isArray(chunk.choices) &&
    chunk.choices.length > 0
  )
    observe.generationAt ??= now;
}

function hasContent(chunk: Record<string, unknown>): boolean {
  const nonEmpty = (v: unknown) => typeof v === "string" && v !== "";
  const message = chunk.message; // Ollama
  if (
    isRecord(message) &&
    (nonEmpty(message.content) || nonEmpty(message.thinking) || Array.isArray(message.tool_calls))
  )
    return true;
  const choices = chunk.choices;
  if (!Array.isArray(choices)) return false;
  return choices.some((c) => {
    const delta = isRecord(c) && isRecord(c.delta) ? c.delta : undefined;
    return (
      delta !== undefined &&
      (nonEmpty(delta.content) || nonEmpty(delta.reasoning_content) || Array.isArray(delta.tool_calls))
    );
  });
}
