/**
 * Provider error taxonomy: every failed model request surfaces as a `ProviderError` whose `kind` and
 * `retryable` tell the engine what to do (retry with backoff, compact, fail over, or stop and tell the user).
 * Classification follows gnoma's `provider/errors.go` (reference §1.3) with two additions: `too_large`
 * (413 and context-overflow 400s, for reactive compaction) and `unreachable` (nothing listening).
 */
import {
  AISDKError,
  APICallError,
  InvalidArgumentError,
  InvalidPromptError,
  LoadAPIKeyError,
  LoadSettingError,
  NoSuchModelError,
  UnsupportedFunctionalityError,
} from "@ai-sdk/provider";
import { API_KEY_ENV } from "./ai-sdk/api-key-env.ts";
import type { ProviderName } from "./types.ts";

/**
 * - `transient`: temporary failure (rate limit, 5xx, socket reset, timeout); retrying may succeed.
 * - `auth`: missing or rejected API key (401/403).
 * - `bad_request`: the request is wrong (400, llama.cpp tool-call parse failure); retrying cannot help.
 * - `not_found`: unknown model or wrong endpoint (404).
 * - `overloaded`: the server timed out upstream (504); retryable.
 * - `too_large`: the prompt does not fit the context window (413, context-overflow 400); compact first.
 * - `unreachable`: nothing answered at the base URL (connection refused, DNS failure).
 */
export type ProviderErrorKind =
  | "transient"
  | "auth"
  | "bad_request"
  | "not_found"
  | "overloaded"
  | "too_large"
  | "unreachable";

/** Fields of a `ProviderError`; `cause` is the original (SDK or network) error. */
export interface ProviderErrorInit {
  kind: ProviderErrorKind;
  provider: string;
  message: string;
  statusCode?: number;
  retryable: boolean;
  /** Server-requested wait before retrying, in ms (from `retry-after-ms` / `Retry-After`). */
  retryAfterMs?: number;
  /** One actionable sentence telling the user what to do. */
  hint?: string;
  cause?: unknown;
}

/**
 * A classified model-request failure. `message` says what happened (provider, HTTP status, server
 * message); `hint` says what to do. `retryAfterMs` is the server's requested delay in ms, when sent.
 */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly statusCode?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly hint?: string;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ProviderError";
    this.kind = init.kind;
    this.provider = init.provider;
    if (init.statusCode !== undefined) this.statusCode = init.statusCode;
    this.retryable = init.retryable;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.hint !== undefined) this.hint = init.hint;
  }
}

/** Options for `classifyError`: the request's abort signal (an aborted request passes through) and its URL (for messages). */
export interface ClassifyOptions {
  signal?: AbortSignal;
  url?: string;
}

const TOOL_PARSE_PATTERNS = ["failed to parse tool call", "tool_call_error", "invalid_tool_call"];
const CONTEXT_OVERFLOW_PATTERNS = [
  "exceeds the available context size", // llama.cpp
  "exceed_context_size_error", // llama.cpp error type
  "context_length_exceeded", // OpenAI code
  "maximum context length", // OpenAI / vLLM message
  "prompt is too long", // Anthropic
  "input token count", // Gemini ("input token count ... exceeds the maximum")
];
const JINJA_HINT = "start llama-server with --jinja (or use a model with better tool calling)";
/**
 * A rejected API key sent as HTTP 400 rather than 401: Gemini answers an invalid key with 400
 * INVALID_ARGUMENT "API key not valid. Please pass a valid API key." (reason API_KEY_INVALID).
 */
const BAD_KEY_400_PATTERNS = ["api_key_invalid", "api key not valid"];

/** Network error codes meaning nothing answered at the address (no response at all). */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ConnectionRefused",
]);
/** Network error codes meaning a connection broke or timed out: worth retrying. */
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ConnectionClosed",
]);

/**
 * Parses a retry delay from response headers, in ms: `retry-after-ms` (OpenAI) first, then `Retry-After`
 * as delta-seconds (may be fractional) or an HTTP date (delay from now, floored at 0). Header names are
 * matched case-insensitively. Returns undefined when absent or unparsable.
 */
export function parseRetryAfter(
  headers: Record<string, string> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) =>
    Object.entries(headers)
      .find(([k]) => k.toLowerCase() === name)?.[1]
      ?.trim();
  const ms = get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  const ra = get("retry-after");
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) return Math.round(Number(ra) * 1000);
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function authHint(provider: string): string {
  const envs = (API_KEY_ENV as Record<string, string[] | undefined>)[provider] ?? [];
  if (envs.length === 0) return "this endpoint requires an API key: pass --api-key (or set it in the config)";
  return `set ${envs.join(" or ")} (or pass --api-key) with a valid key`;
}

function unreachableHint(provider: string): string {
  switch (provider as ProviderName) {
    case "llamacpp":
      return "start llama-server (e.g. `llama-server -m model.gguf --jinja --port 8080`) or point --base-url at it";
    case "ollama":
      return "start Ollama (`ollama serve`) or point --base-url at it";
    case "lmstudio":
      return "start the LM Studio server (`lms server start`) or point --base-url at it";
    case "openai-compatible":
      return "start the server or set --base-url to where it listens";
    default:
      return "check your network connection, or set --base-url if you use a proxy or gateway";
  }
}

/**
 * Classifies an HTTP error response into a `ProviderError` (gnoma §1.3 table, plus owlet's additions):
 * 401/403 → auth; 400 → bad_request, or too_large when the message reports a context overflow, or auth
 * when it reports an invalid API key (Gemini's 400 "API key not valid", API_KEY_INVALID);
 * 404 → not_found; 413 → too_large; 429/529 → transient retryable; 500/502/503 → transient retryable,
 * except a 500 reporting a tool-call parse failure (llama.cpp without --jinja) → bad_request, not
 * retryable; 504 → overloaded retryable; other ≥ 500 → transient retryable; anything else → bad_request.
 * `message` is the server's error text (matched case-insensitively); `headers` supply Retry-After.
 * `provider` names the provider in the message and picks the API-key hint.
 */
export function classifyStatus(
  status: number,
  message: string,
  headers?: Record<string, string>,
  provider = "provider",
): ProviderError {
  return classifyHttp({ status, message, matchText: message, provider, ...(headers ? { headers } : {}) });
}

const TOO_LARGE_HINT =
  "the prompt exceeds the model's context window: compact the conversation or use a larger context";

/** `classifyStatus` with a separate `matchText` (message + raw body) for pattern checks and an optional cause. */
function classifyHttp(a: {
  status: number;
  message: string;
  matchText: string;
  headers?: Record<string, string>;
  provider: string;
  cause?: unknown;
}): ProviderError {
  const { status, provider } = a;
  const lower = a.matchText.toLowerCase();
  const retryAfterMs = parseRetryAfter(a.headers);
  const make = (kind: ProviderErrorKind, retryable: boolean, hint?: string) =>
    new ProviderError({
      kind,
      provider,
      statusCode: status,
      message: `${provider}: HTTP ${status}: ${a.message}`,
      retryable,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(hint !== undefined ? { hint } : {}),
      ...(a.cause !== undefined ? { cause: a.cause } : {}),
    });
  const overflow = CONTEXT_OVERFLOW_PATTERNS.some((p) => lower.includes(p));

  if (status === 401 || status === 403) return make("auth", false, authHint(provider));
  if (status === 400 && BAD_KEY_400_PATTERNS.some((p) => lower.includes(p)))
    return make("auth", false, authHint(provider));
  if (status === 400) return overflow ? make("too_large", false, TOO_LARGE_HINT) : make("bad_request", false);
  if (status === 404) return make("not_found", false, "check --model (the model name) and --base-url");
  if (status === 413) return make("too_large", false, TOO_LARGE_HINT);
  if (status === 429 || status === 529) return make("transient", true);
  if (status === 500 && TOOL_PARSE_PATTERNS.some((p) => lower.includes(p)))
    return make("bad_request", false, JINJA_HINT);
  if (status === 504) return make("overloaded", true);
  if (status >= 500) return make("transient", true);
  return make("bad_request", false);
}

/** Walks an error's `cause` chain and `errors` (AggregateError) collecting `code` strings and messages. */
function networkFacts(err: unknown): { codes: Set<string>; messages: string[] } {
  const codes = new Set<string>();
  const messages: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number) => {
    if (e === null || typeof e !== "object" || seen.has(e) || depth > 8) return;
    seen.add(e);
    const rec = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof rec.code === "string") codes.add(rec.code);
    if (typeof rec.message === "string") messages.push(rec.message);
    visit(rec.cause, depth + 1);
    if (Array.isArray(rec.errors)) for (const inner of rec.errors) visit(inner, depth + 1);
  };
  visit(err, 0);
  return { codes, messages };
}

/**
 * Recognises an error object sent on the wire inside a stream (`data: {"error":{...}}` as OpenAI and
 * llama.cpp send mid-stream), which the AI SDK forwards as a plain object, possibly still wrapped in `{error}`.
 */
function wireErrorOf(err: unknown): { message: string; code?: unknown } | undefined {
  if (err === null || typeof err !== "object" || err instanceof Error) return undefined;
  const rec = err as { message?: unknown; code?: unknown; error?: unknown };
  if (typeof rec.message === "string") return { message: rec.message, code: rec.code };
  if (rec.error !== undefined) return wireErrorOf(rec.error);
  return undefined;
}

/** Joins the distinct non-empty messages of an error chain ("Failed to process…: terminated: other side closed"). */
function describeChain(messages: string[], err: unknown): string {
  const distinct = [...new Set(messages.map((m) => m.trim()).filter((m) => m.length > 0))];
  return distinct.length > 0 ? distinct.slice(0, 3).join(": ") : String(err);
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.name === "ResponseAborted");
}

/**
 * Turns any error from a model request into a `ProviderError`:
 * - a `ProviderError` is returned unchanged; so is an abort (`AbortError`, or any error once
 *   `opts.signal` is aborted) — cancellation is not a failure;
 * - an `APICallError` with an error status (≥ 400) → `classifyStatus` on its message + response body and headers;
 *   one with a success status failed while reading the body and is classified by its cause (transient);
 * - connection refused / ENOTFOUND / EAI_AGAIN before any response → `unreachable`, not retryable,
 *   naming the URL, with a hint of what to start or which --base-url to set;
 * - socket reset, stream `terminated`, undici / fetch timeouts (`TimeoutError`) → `transient`, retryable;
 * - the SDK's own pre-request errors: missing API key (`LoadAPIKeyError`) → `auth` with the env-var hint;
 *   `NoSuchModelError` → `not_found`; invalid prompt / argument / unsupported feature / setting → `bad_request`;
 * - an error object sent inside the stream (`{message, code?, type?}`, e.g. OpenAI's `server_error` or a
 *   llama.cpp failure) → `classifyStatus(code if it is an HTTP status else 500, …)`, so llama.cpp's
 *   "failed to parse tool call" is a non-retryable bad_request and anything else transient;
 * - other AI SDK errors (malformed or truncated stream) → `transient`, retryable (as gnoma: "non-API
 *   errors become transient").
 * Anything else (e.g. a programming error) is returned unchanged, so bugs are not disguised as outages.
 */
export function classifyError(
  err: unknown,
  provider: string,
  opts: ClassifyOptions = {},
): ProviderError | unknown {
  if (err instanceof ProviderError) return err;
  if (opts.signal?.aborted || isAbort(err)) return err;

  // A status < 400 means the response started fine and failed while being read (the SDK wraps that as
  // "Failed to process successful response" with the 200 status): classify by the network cause below.
  if (APICallError.isInstance(err) && err.statusCode !== undefined && err.statusCode >= 400) {
    return classifyHttp({
      status: err.statusCode,
      message: err.message,
      // Patterns may sit only in the raw body (e.g. an error `type` the SDK left out of the message).
      matchText: `${err.message}\n${err.responseBody ?? ""}`,
      provider,
      cause: err,
      ...(err.responseHeaders ? { headers: err.responseHeaders } : {}),
    });
  }

  if (LoadAPIKeyError.isInstance(err)) {
    return new ProviderError({
      kind: "auth",
      provider,
      retryable: false,
      message: `${provider}: ${err.message}`,
      hint: authHint(provider),
      cause: err,
    });
  }
  if (NoSuchModelError.isInstance(err)) {
    return new ProviderError({
      kind: "not_found",
      provider,
      retryable: false,
      message: `${provider}: ${err.message}`,
      hint: "check --model (the model name) and --base-url",
      cause: err,
    });
  }
  if (
    InvalidPromptError.isInstance(err) ||
    InvalidArgumentError.isInstance(err) ||
    UnsupportedFunctionalityError.isInstance(err) ||
    LoadSettingError.isInstance(err)
  ) {
    return new ProviderError({
      kind: "bad_request",
      provider,
      retryable: false,
      message: `${provider}: ${err.message}`,
      cause: err,
    });
  }

  const wire = wireErrorOf(err);
  if (wire) {
    const status = typeof wire.code === "number" && wire.code >= 400 && wire.code < 600 ? wire.code : 500;
    const e = classifyHttp({
      status,
      message: wire.message,
      matchText: JSON.stringify(err),
      provider,
      cause: err,
    });
    return new ProviderError({
      kind: e.kind,
      provider,
      retryable: e.retryable,
      message: `${provider}: error in stream: ${wire.message}`,
      cause: err,
      ...(e.hint !== undefined ? { hint: e.hint } : {}),
    });
  }

  const url = (APICallError.isInstance(err) ? err.url : undefined) ?? opts.url;
  const { codes, messages } = networkFacts(err);
  const lowerMessages = messages.map((m) => m.toLowerCase());
  // undici refuses ports on the fetch spec's blocked list ("bad port") before connecting: nothing can answer.
  const unreachableCode =
    [...codes].find((c) => UNREACHABLE_CODES.has(c)) ??
    (lowerMessages.some((m) => m.includes("bad port")) ? "bad port" : undefined);
  if (unreachableCode) {
    const why =
      unreachableCode === "ENOTFOUND" || unreachableCode === "EAI_AGAIN"
        ? "host name not found"
        : unreachableCode === "bad port"
          ? "fetch refuses this port"
          : "connection refused";
    return new ProviderError({
      kind: "unreachable",
      provider,
      retryable: false,
      message: `${provider}: cannot reach ${url ?? "the server"} (${why}, ${unreachableCode})`,
      hint: unreachableHint(provider),
      cause: err,
    });
  }
  const timedOut = err instanceof Error && err.name === "TimeoutError";
  const transientCode = [...codes].find((c) => TRANSIENT_CODES.has(c));
  const terminated = lowerMessages.some(
    (m) => m === "terminated" || m.includes("other side closed") || m.includes("socket hang up"),
  );
  if (timedOut || transientCode || terminated || APICallError.isInstance(err) || AISDKError.isInstance(err)) {
    const detail = transientCode ?? (timedOut ? "timeout" : undefined);
    return new ProviderError({
      kind: "transient",
      provider,
      retryable: true,
      message: `${provider}: request failed${url ? ` (${url})` : ""}: ${describeChain(messages, err)}${detail ? ` [${detail}]` : ""}`,
      cause: err,
    });
  }
  return err;
}
