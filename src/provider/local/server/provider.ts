/**
 * The local-server provider: every round on a local model server (llama.cpp's `llama-server`, Ollama, vLLM,
 * LM Studio, or any OpenAI-compatible server on a local URL) is bounded and, where the server can, forced
 * rounds are constrained. Issue 16. Whatever provider name the user picked for the server, the behaviour
 * is the same: the server kind is detected once (kind.ts) and decides the request extensions.
 *
 * Per request:
 * - a completion cap by round kind (rounds.ts), sent as `max_tokens` (Ollama: `num_predict`);
 * - a forced round (tool choice `required`) constrained to one valid call where the server offers a
 *   constraint (constraint.ts); the JSON it streams becomes a tool call again;
 * - llama.cpp: `cache_prompt: true` (reuse the KV cache for the common prefix), `return_progress: true`
 *   (prompt-read progress, so the generation clock starts when the prompt is read), `t_max_predict_ms`
 *   (the server's own generation-time limit, a backstop);
 * - runaway detection on the streamed text (runaway.ts) and a generation-time limit that starts when the
 *   prompt has been read (a CPU model may read a long prompt for minutes). A cut round ends with a `finish`
 *   event whose stop reason is `max_tokens`, as if the cap had been hit: the engine does not take it as the
 *   answer (it asks the model to go on, within the turn's round budget), and the turn cannot end "success" on it.
 */
import type { StopReason } from "../../../message/types.ts";
import type { StreamEvent } from "../../../stream/events.ts";
import { createProvider, DEFAULT_BASE_URLS } from "../../factory.ts";
import type { Provider, ProviderName, ProviderRequest } from "../../types.ts";
import { createOllamaProvider } from "../ollama.ts";
import { forcedRoundFields, parseForcedCall } from "./constraint.ts";
import { type ServerInfo, type ServerKindCache, serverKinds } from "./kind.ts";
import { DEFAULT_ROUND_CAPS, type RoundCaps, type RoundKind, roundCap, roundKind } from "./rounds.ts";
import { RunawayDetector, type RunawayOptions, type RunawayTrip } from "./runaway.ts";
import { localServerFetch, type ServerTimings, type WireObservation } from "./wire.ts";

/** Provider names that reach a model server over HTTP and get this treatment when the server is local. */
export const SERVER_PROVIDERS: ReadonlySet<ProviderName> = new Set<ProviderName>([
  "openai-compatible",
  "llamacpp",
  "lmstudio",
  "ollama",
]);

/** Settings (config `[local_server]`). Caps in tokens; rates in tokens per second; times in seconds. */
export interface LocalServerSettings {
  /** Completion caps per round kind; unset kinds keep {@link DEFAULT_ROUND_CAPS}. */
  caps?: Partial<RoundCaps>;
  /** Constrain forced rounds where the server can (default true). */
  constrain?: boolean;
  /** llama.cpp `cache_prompt` (default true). */
  cachePrompt?: boolean;
  /**
   * Generation-time limit per round, seconds, counted from the end of the prompt read. Default: the round's
   * cap at {@link DEFAULT_MIN_TOKENS_PER_SECOND}, at least {@link MIN_GENERATION_SECONDS}.
   */
  generationSeconds?: number;
  /** Slowest generation speed the default time limit allows, tokens/s (default 2). */
  minTokensPerSecond?: number;
  /** Runaway-detector tuning. */
  runaway?: Partial<RunawayOptions>;
}

/**
 * Default slowest generation speed assumed for the time limit, tokens/s. Measured: Qwen2.5-Coder-1.5B Q4_K_M on
 * llama-server with a JSON-schema grammar on 2 shared CPU cores generated 1.5-2 tokens/s (grammar sampling over
 * a 151k vocabulary is slow), so the limit is a safety net behind the cap, not the main bound.
 */
export const DEFAULT_MIN_TOKENS_PER_SECOND = 2;
/** Floor of the default generation-time limit, seconds. */
export const MIN_GENERATION_SECONDS = 30;
/** How often the generation clock is checked, ms. */
const CLOCK_TICK_MS = 250;

/** What one round did, for logs, measurements and tests. */
export interface LocalRoundReport {
  server: ServerInfo;
  kind: RoundKind;
  /** The completion cap sent, tokens. */
  cap: number;
  /** Whether the forced call was constrained by the server. */
  constrained: boolean;
  /** The generation-time limit, ms. */
  generationLimitMs: number;
  /** Set when the round was cut. */
  cut?: RunawayTrip;
  /** The server's timings (llama.cpp) or eval counts (Ollama), when it sent them. */
  timings?: ServerTimings;
  /** The JSON body as sent. */
  body?: Record<string, unknown>;
}

/** Options of {@link createLocalServerProvider}. */
export interface LocalServerProviderOptions {
  /** The provider name the user picked (kept as the Provider's name, for errors and hints). */
  name: ProviderName;
  /** The server's base URL; default the provider's default local URL (llamacpp, lmstudio, ollama). */
  baseURL?: string;
  apiKey?: string;
  /** HTTP client (tests, proxies); default global fetch. */
  fetch?: typeof fetch;
  settings?: LocalServerSettings;
  /** Server-kind cache; default the process-wide one. */
  kinds?: ServerKindCache;
  /** Called after every round. */
  onRound?: (report: LocalRoundReport) => void;
}

/** Whether `name` is a server provider this module wraps (see {@link SERVER_PROVIDERS}). */
export function isServerProvider(name: ProviderName): boolean {
  return SERVER_PROVIDERS.has(name);
}

/**
 * The generation-time limit of a round with completion cap `cap` (tokens), ms: `settings.generationSeconds`
 * when set, else `cap / minTokensPerSecond` seconds, at least 30 s.
 */
export function generationLimitMs(cap: number, settings: LocalServerSettings = {}): number {
  if (settings.generationSeconds !== undefined) return Math.max(1, settings.generationSeconds * 1000);
  const rate = settings.minTokensPerSecond ?? DEFAULT_MIN_TOKENS_PER_SECOND;
  return Math.max(MIN_GENERATION_SECONDS, cap / rate) * 1000;
}

/**
 * Creates the provider for a local model server. `stream(request)` detects the server kind (once per server,
 * see kind.ts), sends the request through the matching inner provider (Ollama's native `/api/chat` for an
 * Ollama server or the name `ollama`, else the OpenAI-compatible chat endpoint) with the cap, constraint and
 * llama.cpp fields described in the module comment, and yields its events, except:
 * - in a constrained forced round the JSON text is held and, when it parses as a call of an offered tool,
 *   yielded as `tool_call_start` + `tool_call_done` (stop reason `tool_use`); otherwise as text;
 * - trailing whitespace is held until more text follows (so a whitespace runaway never reaches the history);
 * - a runaway or an exceeded generation-time limit aborts the server request and ends the stream with
 *   `finish` / `max_tokens` (the text before the runaway kept).
 * Errors of the inner provider propagate unchanged (a ProviderError), except the abort this provider caused.
 */
export function createLocalServerProvider(opts: LocalServerProviderOptions): Provider {
  const baseURL =
    opts.baseURL ??
    (opts.name in DEFAULT_BASE_URLS
      ? DEFAULT_BASE_URLS[opts.name as keyof typeof DEFAULT_BASE_URLS]
      : undefined);
  const settings = opts.settings ?? {};
  const caps: RoundCaps = { ...DEFAULT_ROUND_CAPS, ...settings.caps };
  const kinds = opts.kinds ?? serverKinds;
  const baseFetch: typeof fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  let nextId = 1;
  return {
    name: opts.name,
    stream(request: ProviderRequest): AsyncIterable<StreamEvent> {
      return run(request);
    },
  };

  async function* run(request: ProviderRequest): AsyncGenerator<StreamEvent> {
    const server: ServerInfo = baseURL
      ? await kinds.get(baseURL, { fetch: baseFetch })
      : { kind: opts.name === "ollama" ? "ollama" : "unknown" };
    const kind = roundKind(request);
    const cap = roundCap(request, caps);
    const limitMs = generationLimitMs(cap, settings);
    const forced = request.toolChoice === "required" && request.tools.length > 0;
    const constraint =
      forced && settings.constrain !== false ? forcedRoundFields(server, request.tools, cap) : undefined;
    const extra: Record<string, unknown> = { ...constraint };
    if (server.kind === "llamacpp") {
      extra.cache_prompt = settings.cachePrompt ?? true;
      extra.return_progress = true;
      extra.t_max_predict_ms = limitMs;
    }
    const observe: WireObservation = {};
    const wired = localServerFetch(baseFetch, extra, observe);
    const ollama = server.kind === "ollama" || opts.name === "ollama";
    const inner: Provider = ollama
      ? createOllamaProvider({
          ...(baseURL ? { baseURL } : {}),
          ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
          fetch: wired,
        })
      : createProvider({
          name: opts.name === "llamacpp" || opts.name === "lmstudio" ? opts.name : "openai-compatible",
          ...(baseURL ? { baseURL } : {}),
          ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
          fetch: wired,
        });

    const cut = new AbortController();
    const onAbort = () => cut.abort(request.signal?.reason);
    if (request.signal?.aborted) cut.abort(request.signal.reason);
    request.signal?.addEventListener("abort", onAbort, { once: true });
    const detector = new RunawayDetector(
      { forced: forced && !constraint, toolNames: request.tools.map((t) => t.name) },
      settings.runaway,
    );
    let trip: RunawayTrip | undefined;
    const stop = (t: RunawayTrip) => {
      trip ??= t;
      cut.abort(new Error(`local server round cut: ${t.detail}`));
    };
    const clock = setInterval(() => {
      const start = observe.generationAt;
      if (start !== undefined && Date.now() - start > limitMs)
        stop(detector.trip("generation_time", `generation ran over ${Math.round(limitMs / 1000)} s`));
    }, CLOCK_TICK_MS);

    let held = ""; // trailing whitespace not yet yielded
    let json = ""; // constrained round: the call's JSON text
    let sawNativeCall = false;
    let usage: StreamEvent | undefined;
    let finish: Extract<StreamEvent, { type: "finish" }> | undefined;
    try {
      const events = inner.stream({ ...request, maxOutputTokens: cap, signal: cut.signal });
      try {
        for await (const event of events) {
          if (event.type === "text_delta") {
            if (constraint && !sawNativeCall) {
              json += event.text;
              continue;
            }
            const t = detector.feed(event.text);
            if (t) {
              stop(t);
              break;
            }
            const text = held + event.text;
            const end = text.search(/\s*$/);
            held = text.slice(end);
            if (end > 0) yield { type: "text_delta", text: text.slice(0, end) };
          } else if (event.type === "usage") {
            usage = event;
          } else if (event.type === "finish") {
            finish = event;
          } else {
            if (event.type === "tool_call_start") sawNativeCall = true;
            yield event;
          }
        }
      } catch (err) {
        if (trip === undefined || request.signal?.aborted) throw err;
      }
    } finally {
      clearInterval(clock);
      request.signal?.removeEventListener("abort", onAbort);
      opts.onRound?.({
        server,
        kind,
        cap,
        constrained: constraint !== undefined,
        generationLimitMs: limitMs,
        ...(trip ? { cut: trip } : {}),
        ...(observe.timings ? { timings: observe.timings } : {}),
        ...(observe.sentBody ? { body: observe.sentBody } : {}),
      });
    }

    if (trip) {
      if (json !== "") yield { type: "text_delta", text: json };
      if (usage) yield usage;
      yield { type: "finish", stopReason: "max_tokens", ...(finish?.model ? { model: finish.model } : {}) };
      return;
    }
    let stopReason: StopReason = finish?.stopReason ?? "end_turn";
    if (json !== "") {
      const call = parseForcedCall(json, request.tools);
      if (call) {
        const id = `call_srv_${nextId++}`;
        yield { type: "tool_call_start", id, name: call.name };
        yield { type: "tool_call_done", id, name: call.name, arguments: call.arguments };
        stopReason = "tool_use";
      } else yield { type: "text_delta", text: json };
    }
    if (held !== "") yield { type: "text_delta", text: held };
    if (usage) yield usage;
    if (finish) yield { ...finish, stopReason };
  }
}
