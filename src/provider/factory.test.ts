import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { StreamEvent } from "../stream/events.ts";
import { ProviderError } from "./errors.ts";
import {
  API_KEY_ENV,
  createProvider,
  DEFAULT_BASE_URLS,
  resolveApiKey,
  type SdkProviderName,
} from "./factory.ts";
import type { ProviderRequest } from "./types.ts";

const TEXT_SSE = readFileSync(new URL("../../test/fixtures/sse/text-answer.sse", import.meta.url));

interface Captured {
  url: string;
  headers: Headers;
  body: any;
}

/** A fetch double that records the request and answers with `respond()`. */
function recorder(respond: () => Response) {
  const calls: Captured[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({
      url: String(input),
      headers: new Headers(init?.headers),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    });
    return respond();
  }) as typeof fetch;
  return { calls, fetchFn };
}

const sse = () => new Response(TEXT_SSE, { status: 200, headers: { "content-type": "text/event-stream" } });
const status = (code: number, message: string) =>
  new Response(JSON.stringify({ error: { message, type: "error" } }), {
    status: code,
    headers: { "content-type": "application/json" },
  });

const req: ProviderRequest = {
  model: "some-model",
  system: "sys",
  messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
  tools: [],
};

async function drain(iter: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error?: unknown }> {
  const events: StreamEvent[] = [];
  try {
    for await (const e of iter) events.push(e);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("createProvider", () => {
  it("openai: chat-completions endpoint with the bearer key, streamed text comes through", async () => {
    const { calls, fetchFn } = recorder(sse);
    const p = createProvider({
      name: "openai",
      apiKey: "sk-test",
      fetch: fetchFn,
      headers: { "x-extra": "1" },
    });
    const { events, error } = await drain(p.stream(req));
    expect(error).toBeUndefined();
    expect(calls[0]!.url).toBe("https://api.openai.com/v1/chat/completions");
    expect(calls[0]!.headers.get("authorization")).toBe("Bearer sk-test");
    expect(calls[0]!.headers.get("x-extra")).toBe("1");
    expect(calls[0]!.body.stream).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "end_turn" });
    expect(p.name).toBe("openai");
  });

  it.each<[SdkProviderName, string, string, string]>([
    ["anthropic", "https://api.anthropic.com/v1/messages", "x-api-key", "k-ant"],
    ["mistral", "https://api.mistral.ai/v1/chat/completions", "authorization", "Bearer k-mis"],
    [
      "google",
      "https://generativelanguage.googleapis.com/v1beta/models/some-model:streamGenerateContent?alt=sse",
      "x-goog-api-key",
      "k-goo",
    ],
  ])(
    "%s: posts to its API with its key header; a 401 becomes an auth error",
    async (name, url, header, value) => {
      const { calls, fetchFn } = recorder(() => status(401, "invalid key"));
      const key = value.replace(/^Bearer /, "");
      const { error } = await drain(createProvider({ name, apiKey: key, fetch: fetchFn }).stream(req));
      expect(calls[0]!.url).toBe(url);
      expect(calls[0]!.headers.get(header)).toBe(value);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: "auth", retryable: false, provider: name });
      expect((error as ProviderError).hint).toContain(API_KEY_ENV[name][0]!);
    },
  );

  it("reads the key from the environment, with GEMINI_API_KEY as Google's fallback", async () => {
    vi.stubEnv("GOOGLE_GENERATIVE_AI_API_KEY", "");
    vi.stubEnv("GEMINI_API_KEY", "gem-env");
    const { calls, fetchFn } = recorder(() => status(500, "boom"));
    await drain(createProvider({ name: "google", fetch: fetchFn }).stream(req));
    expect(calls[0]!.headers.get("x-goog-api-key")).toBe("gem-env");
  });

  it("a missing cloud key fails the first request as auth, naming the env var", async () => {
    vi.stubEnv("OPENAI_API_KEY", "");
    const { calls, fetchFn } = recorder(sse);
    const p = createProvider({ name: "openai", fetch: fetchFn });
    const { error } = await drain(p.stream(req));
    expect(calls).toHaveLength(0);
    expect(error).toMatchObject({ kind: "auth", retryable: false });
    expect((error as ProviderError).hint).toContain("OPENAI_API_KEY");
  });

  it.each<[SdkProviderName, string]>([
    ["llamacpp", "http://127.0.0.1:8080/v1/chat/completions"],
    ["lmstudio", "http://127.0.0.1:1234/v1/chat/completions"],
  ])("%s defaults to its local server and asks for usage in the stream", async (name, url) => {
    const { calls, fetchFn } = recorder(sse);
    const { events } = await drain(createProvider({ name, fetch: fetchFn }).stream(req));
    expect(calls[0]!.url).toBe(url);
    expect(calls[0]!.headers.get("authorization")).toBeNull();
    expect(calls[0]!.body.stream_options).toEqual({ include_usage: true });
    expect(events.some((e) => e.type === "usage")).toBe(true);
  });

  it("mistral: bridges tool results and a following user message with an assistant message", async () => {
    const { calls, fetchFn } = recorder(() => status(500, "boom"));
    const history: ProviderRequest["messages"] = [
      { role: "user", content: [{ type: "text", text: "read a" }] },
      { role: "assistant", content: [{ type: "tool_call", id: "abcDEF123", name: "read", arguments: "{}" }] },
      {
        role: "user",
        content: [
          { type: "tool_result", toolCallId: "abcDEF123", toolName: "read", content: "x", isError: false },
          { type: "text", text: "now summarise" },
        ],
      },
    ];
    await drain(
      createProvider({ name: "mistral", apiKey: "k", fetch: fetchFn }).stream({ ...req, messages: history }),
    );
    const roles = (calls[0]!.body.messages as { role: string }[]).map((m) => m.role);
    // Mistral answers 400 "Unexpected role 'user' after role 'tool'" to tool → user.
    expect(roles).toEqual(["system", "user", "assistant", "tool", "assistant", "user"]);
  });

  it("mistral: rewrites tool call ids that are not 9 alphanumerics, consistently in calls and results", async () => {
    const { calls, fetchFn } = recorder(() => status(500, "boom"));
    const history: ProviderRequest["messages"] = [
      { role: "user", content: [{ type: "text", text: "read a and b" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_call", id: "call_1", name: "read", arguments: "{}" },
          { type: "tool_call", id: "abcDEF123", name: "read", arguments: "{}" },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", toolCallId: "call_1", toolName: "read", content: "x", isError: false },
          { type: "tool_result", toolCallId: "abcDEF123", toolName: "read", content: "y", isError: false },
        ],
      },
    ];
    await drain(
      createProvider({ name: "mistral", apiKey: "k", fetch: fetchFn }).stream({ ...req, messages: history }),
    );
    const messages = calls[0]!.body.messages as {
      role: string;
      tool_calls?: { id: string }[];
      tool_call_id?: string;
    }[];
    const callIds = messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.id));
    const resultIds = messages.flatMap((m) => (m.role === "tool" ? [m.tool_call_id] : []));
    expect(callIds[1]).toBe("abcDEF123");
    expect(callIds[0]).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(resultIds).toEqual(callIds);
  });

  it("google: an invalid key (Gemini answers 400 API_KEY_INVALID) → auth with the key hint", async () => {
    const body = {
      error: {
        code: 400,
        message: "API key not valid. Please pass a valid API key.",
        status: "INVALID_ARGUMENT",
        details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" }],
      },
    };
    const { fetchFn } = recorder(
      () =>
        new Response(JSON.stringify(body), { status: 400, headers: { "content-type": "application/json" } }),
    );
    const { error } = await drain(
      createProvider({ name: "google", apiKey: "bad", fetch: fetchFn }).stream(req),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "auth", retryable: false, statusCode: 400 });
    expect((error as ProviderError).hint).toContain("GEMINI_API_KEY");
  });

  it("google: a MALFORMED_FUNCTION_CALL finish → a transient ProviderError, not an empty end_turn", async () => {
    const chunk = {
      candidates: [
        { content: { parts: [], role: "model" }, finishReason: "MALFORMED_FUNCTION_CALL", index: 0 },
      ],
      usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 },
    };
    const { fetchFn } = recorder(
      () =>
        new Response(`data: ${JSON.stringify(chunk)}\n\n`, {
          status: 200,
          headers: { "content-type": "text/event-stream" },
        }),
    );
    const tools = [{ name: "read", description: "Read", inputSchema: { type: "object", properties: {} } }];
    const { events, error } = await drain(
      createProvider({ name: "google", apiKey: "k", fetch: fetchFn }).stream({ ...req, tools }),
    );
    expect(events.some((e) => e.type === "finish")).toBe(false);
    expect(error).toMatchObject({ kind: "transient", retryable: true });
    expect((error as ProviderError).message).toContain("MALFORMED_FUNCTION_CALL");
  });

  it("anthropic: a 200 HTML page (a proxy login) → a non-retryable ProviderError, not an empty answer", async () => {
    const { fetchFn } = recorder(
      () =>
        new Response("<!doctype html><html><body>proxy login</body></html>", {
          status: 200,
          headers: { "content-type": "text/html" },
        }),
    );
    const { events, error } = await drain(
      createProvider({ name: "anthropic", apiKey: "k", fetch: fetchFn }).stream(req),
    );
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "not_found", retryable: false });
  });

  it("openai-compatible uses the given base URL and key", async () => {
    const { calls, fetchFn } = recorder(sse);
    await drain(
      createProvider({
        name: "openai-compatible",
        baseURL: "http://10.0.0.5:8000/v1",
        apiKey: "vk",
        fetch: fetchFn,
      }).stream(req),
    );
    expect(calls[0]!.url).toBe("http://10.0.0.5:8000/v1/chat/completions");
    expect(calls[0]!.headers.get("authorization")).toBe("Bearer vk");
  });

  it("openai-compatible without a base URL throws a clear error", () => {
    let thrown: unknown;
    try {
      createProvider({ name: "openai-compatible" });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect((thrown as ProviderError).message).toContain("base URL");
    expect((thrown as ProviderError).hint).toContain("--base-url");
  });

  it("rejects a name it does not build", () => {
    expect(() => createProvider({ name: "ollama" as SdkProviderName })).toThrow(/unknown provider "ollama"/);
  });
});

describe("DEFAULT_BASE_URLS / API_KEY_ENV / resolveApiKey", () => {
  it("lists the local servers' default ports", () => {
    expect(DEFAULT_BASE_URLS).toEqual({
      llamacpp: "http://127.0.0.1:8080/v1",
      lmstudio: "http://127.0.0.1:1234/v1",
      ollama: "http://127.0.0.1:11434/v1",
    });
  });

  it("names each cloud provider's env vars and none for local ones", () => {
    expect(API_KEY_ENV.openai).toEqual(["OPENAI_API_KEY"]);
    expect(API_KEY_ENV.anthropic).toEqual(["ANTHROPIC_API_KEY"]);
    expect(API_KEY_ENV.google).toEqual(["GOOGLE_GENERATIVE_AI_API_KEY", "GEMINI_API_KEY"]);
    expect(API_KEY_ENV.mistral).toEqual(["MISTRAL_API_KEY"]);
    for (const local of ["llamacpp", "ollama", "lmstudio", "embedded", "openai-compatible"] as const)
      expect(API_KEY_ENV[local]).toEqual([]);
  });

  it("prefers the explicit key, then the first set env var", () => {
    const env = { GOOGLE_GENERATIVE_AI_API_KEY: "a", GEMINI_API_KEY: "b" };
    expect(resolveApiKey("google", "x", env)).toBe("x");
    expect(resolveApiKey("google", undefined, env)).toBe("a");
    expect(resolveApiKey("google", undefined, { GEMINI_API_KEY: "b" })).toBe("b");
    expect(resolveApiKey("llamacpp", undefined, env)).toBeUndefined();
  });
});
