import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { APICallError, InvalidResponseDataError } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import {
  classifyError,
  classifyStatus,
  ProviderError,
  type ProviderErrorKind,
  parseRetryAfter,
} from "./errors.ts";

function apiError(
  statusCode: number,
  message: string,
  opts: { headers?: Record<string, string>; body?: string } = {},
) {
  return new APICallError({
    message,
    url: "http://127.0.0.1:8080/v1/chat/completions",
    requestBodyValues: {},
    statusCode,
    ...(opts.headers ? { responseHeaders: opts.headers } : {}),
    ...(opts.body !== undefined ? { responseBody: opts.body } : {}),
  });
}

function netError(code: string, message = `connect ${code} 127.0.0.1:9`): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
}

/** A loopback port that was just free (bound then released), so nothing listens on it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectProviderError(e: unknown): ProviderError {
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe("classifyStatus", () => {
  const table: [number, string, ProviderErrorKind, boolean][] = [
    [400, "invalid 'messages'", "bad_request", false],
    [400, "the request exceeds the available context size, try increasing it", "too_large", false],
    [400, "This model's maximum context length is 8192 tokens", "too_large", false],
    [400, "context_length_exceeded", "too_large", false],
    [401, "Incorrect API key", "auth", false],
    [403, "forbidden", "auth", false],
    [404, "model not found", "not_found", false],
    [408, "timeout", "bad_request", false],
    [413, "payload too large", "too_large", false],
    [422, "unprocessable", "bad_request", false],
    [429, "rate limited", "transient", true],
    [529, "overloaded_error", "transient", true],
    [500, "internal", "transient", true],
    [502, "bad gateway", "transient", true],
    [503, "unavailable", "transient", true],
    [504, "gateway timeout", "overloaded", true],
    [507, "insufficient storage", "transient", true],
    [500, "Failed to parse tool call arguments as JSON", "bad_request", false],
    [500, "error: tool_call_error", "bad_request", false],
    [500, "invalid_tool_call in output", "bad_request", false],
  ];
  it.each(table)("%i %s → %s (retryable %s)", (status, message, kind, retryable) => {
    const e = classifyStatus(status, message, undefined, "llamacpp");
    expect(e.kind).toBe(kind);
    expect(e.retryable).toBe(retryable);
    expect(e.statusCode).toBe(status);
    expect(e.provider).toBe("llamacpp");
    expect(e.message).toContain(message);
    expect(e.message).toContain(String(status));
  });

  it("gives the --jinja hint for llama.cpp tool-call parse failures", () => {
    expect(classifyStatus(500, "Failed to parse tool call").hint).toBe(
      "start llama-server with --jinja (or use a model with better tool calling)",
    );
  });

  it("names the provider's API-key env vars in the auth hint", () => {
    expect(classifyStatus(401, "bad key", undefined, "openai").hint).toContain("OPENAI_API_KEY");
    expect(classifyStatus(401, "bad key", undefined, "openai").hint).toContain("--api-key");
    const google = classifyStatus(403, "denied", undefined, "google").hint!;
    expect(google).toContain("GOOGLE_GENERATIVE_AI_API_KEY");
    expect(google).toContain("GEMINI_API_KEY");
    expect(classifyStatus(401, "x", undefined, "llamacpp").hint).toContain("--api-key");
  });

  it("classifies Gemini's 400 for an invalid API key as auth with the key hint", () => {
    const e = classifyStatus(400, "API key not valid. Please pass a valid API key.", undefined, "google");
    expect(e).toMatchObject({ kind: "auth", retryable: false, statusCode: 400 });
    expect(e.hint).toContain("GEMINI_API_KEY");
    expect(classifyStatus(400, "Invalid JSON payload received.", undefined, "google").kind).toBe(
      "bad_request",
    );
  });

  it("hints at --model and --base-url on 404", () => {
    const hint = classifyStatus(404, "no such model").hint!;
    expect(hint).toContain("--model");
    expect(hint).toContain("--base-url");
  });

  it("reads Retry-After in seconds and as an HTTP date", () => {
    expect(classifyStatus(429, "slow down", { "Retry-After": "2" }).retryAfterMs).toBe(2000);
    const inFive = new Date(Date.now() + 5000).toUTCString();
    const ms = classifyStatus(503, "busy", { "retry-after": inFive }).retryAfterMs!;
    expect(ms).toBeGreaterThan(3000);
    expect(ms).toBeLessThanOrEqual(5000);
    expect(classifyStatus(429, "x").retryAfterMs).toBeUndefined();
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it.each([
    [{ "retry-after": "3" }, 3000],
    [{ "Retry-After": "0.5" }, 500],
    [{ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }, 10_000],
    [{ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, 0],
    [{ "retry-after-ms": "1500", "retry-after": "9" }, 1500],
    [{ "retry-after": "soon" }, undefined],
    [{}, undefined],
  ])("%j → %s", (headers, expected) => {
    expect(parseRetryAfter(headers as Record<string, string>, now)).toBe(expected);
  });
});

describe("classifyError", () => {
  it("classifies APICallError by status, headers and body", () => {
    const e = expectProviderError(
      classifyError(apiError(429, "Too many requests", { headers: { "retry-after": "2" } }), "openai"),
    );
    expect(e).toMatchObject({
      kind: "transient",
      retryable: true,
      retryAfterMs: 2000,
      statusCode: 429,
      provider: "openai",
    });
    expect(e.cause).toBeInstanceOf(APICallError);
  });

  it("matches patterns found only in the raw response body", () => {
    const body = JSON.stringify({
      error: { code: 400, message: "too many", type: "exceed_context_size_error" },
    });
    const e = expectProviderError(classifyError(apiError(400, "too many", { body }), "llamacpp"));
    expect(e.kind).toBe("too_large");
    const parse = expectProviderError(
      classifyError(
        apiError(500, "Internal", { body: '{"error":{"message":"Failed to parse tool call"}}' }),
        "llamacpp",
      ),
    );
    expect(parse).toMatchObject({ kind: "bad_request", retryable: false });
    expect(parse.hint).toContain("--jinja");
  });

  it("passes AbortError and aborted requests through unchanged", () => {
    const abort = new DOMException("The operation was aborted", "AbortError");
    expect(classifyError(abort, "openai")).toBe(abort);
    const ctl = new AbortController();
    ctl.abort();
    const any = netError("ECONNRESET");
    expect(classifyError(any, "openai", { signal: ctl.signal })).toBe(any);
  });

  it("returns an existing ProviderError unchanged", () => {
    const e = classifyStatus(401, "x");
    expect(classifyError(e, "openai")).toBe(e);
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"])("%s before a response → unreachable", (code) => {
    const e = expectProviderError(
      classifyError(netError(code), "llamacpp", { url: "http://127.0.0.1:8080/v1/chat/completions" }),
    );
    expect(e).toMatchObject({ kind: "unreachable", retryable: false });
    expect(e.message).toContain("http://127.0.0.1:8080/v1/chat/completions");
    expect(e.hint).toContain("llama-server");
    expect(e.hint).toContain("--base-url");
  });

  it("finds the refused connection inside the AI SDK's wrapped APICallError and AggregateErrors", () => {
    const inner = Object.assign(
      new AggregateError([
        Object.assign(new Error("connect ECONNREFUSED ::1:11434"), { code: "ECONNREFUSED" }),
      ]),
      {},
    );
    const sdk = new APICallError({
      message: "Cannot connect to API: ",
      url: "http://localhost:11434/v1/chat/completions",
      requestBodyValues: {},
      cause: inner,
      isRetryable: true,
    });
    const e = expectProviderError(classifyError(sdk, "ollama"));
    expect(e.kind).toBe("unreachable");
    expect(e.message).toContain("http://localhost:11434/v1/chat/completions");
    expect(e.hint).toContain("ollama serve");
  });

  it("classifies a real refused connection from fetch", async () => {
    const url = `http://127.0.0.1:${await freePort()}/v1/chat/completions`;
    const err = await fetch(url).catch((x: unknown) => x);
    const e = expectProviderError(classifyError(err, "lmstudio", { url }));
    expect(e.kind).toBe("unreachable");
    expect(e.hint).toContain("LM Studio");
  });

  it.each([
    ["ECONNRESET", netError("ECONNRESET", "read ECONNRESET")],
    [
      "terminated",
      new TypeError("terminated", {
        cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
      }),
    ],
    ["headers timeout", netError("UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error")],
    ["TimeoutError", new DOMException("The operation timed out.", "TimeoutError")],
    [
      "malformed stream",
      new InvalidResponseDataError({
        data: undefined,
        message: "Response stream ended without a finish reason.",
      }),
    ],
  ])("%s → transient retryable", (_label, err) => {
    const e = expectProviderError(classifyError(err, "openai"));
    expect(e).toMatchObject({ kind: "transient", retryable: true });
  });

  it("leaves unrelated errors (bugs) unchanged", () => {
    const bug = new TypeError("x is not a function");
    expect(classifyError(bug, "openai")).toBe(bug);
  });
});

describe("classifyError on error objects sent inside a stream", () => {
  it("treats an OpenAI server_error chunk as transient", () => {
    const e = expectProviderError(
      classifyError(
        { message: "The server had an error", type: "server_error", param: null, code: null },
        "openai",
      ),
    );
    expect(e).toMatchObject({ kind: "transient", retryable: true });
    expect(e.message).toContain("The server had an error");
  });

  it("treats a llama.cpp tool-call parse failure mid-stream as bad_request with the --jinja hint", () => {
    const e = expectProviderError(
      classifyError(
        { error: { code: 500, message: "Failed to parse tool call arguments", type: "server_error" } },
        "llamacpp",
      ),
    );
    expect(e).toMatchObject({ kind: "bad_request", retryable: false });
    expect(e.hint).toContain("--jinja");
  });

  it("uses an HTTP-like code when present", () => {
    const e = expectProviderError(classifyError({ message: "context_length_exceeded", code: 400 }, "openai"));
    expect(e.kind).toBe("too_large");
  });
});

describe("classifyError on the AI SDK's own pre-request errors", () => {
  it("maps a missing API key to auth with the env-var hint", async () => {
    const { LoadAPIKeyError } = await import("@ai-sdk/provider");
    const e = expectProviderError(
      classifyError(new LoadAPIKeyError({ message: "Mistral API key is missing." }), "mistral"),
    );
    expect(e).toMatchObject({ kind: "auth", retryable: false });
    expect(e.hint).toContain("MISTRAL_API_KEY");
  });

  it("maps an invalid prompt to bad_request, not retryable", async () => {
    const { InvalidPromptError } = await import("@ai-sdk/provider");
    const e = expectProviderError(
      classifyError(new InvalidPromptError({ prompt: [], message: "bad" }), "openai"),
    );
    expect(e).toMatchObject({ kind: "bad_request", retryable: false });
  });
});

describe("classifyError on a response that failed while being read", () => {
  it("treats an APICallError with status 200 caused by a socket close as transient", () => {
    const err = new APICallError({
      message: "Failed to process successful response",
      url: "http://127.0.0.1:8080/v1/chat/completions",
      requestBodyValues: {},
      statusCode: 200,
      cause: new TypeError("terminated", {
        cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
      }),
    });
    const e = expectProviderError(classifyError(err, "llamacpp"));
    expect(e).toMatchObject({ kind: "transient", retryable: true });
  });
});

describe("blocked ports", () => {
  it("a fetch 'bad port' refusal is unreachable, not retried", () => {
    const err = new TypeError("fetch failed", { cause: new Error("bad port") });
    const out = classifyError(err, "llamacpp", { url: "http://127.0.0.1:9/v1" }) as ProviderError;
    expect(out).toBeInstanceOf(ProviderError);
    expect(out.kind).toBe("unreachable");
    expect(out.retryable).toBe(false);
  });
});
