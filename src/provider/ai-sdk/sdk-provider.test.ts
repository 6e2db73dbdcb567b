import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ScriptedReply,
  type ScriptedServer,
  startScriptedServer,
} from "../../../test/support/scripted-server.ts";
import type { Message } from "../../message/types.ts";
import type { StreamEvent } from "../../stream/events.ts";
import { ProviderError } from "../errors.ts";
import { createProvider } from "../factory.ts";
import type { ProviderRequest, ToolSchema } from "../types.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const READ_TOOL: ToolSchema = {
  name: "read_file",
  description: "Read a file",
  inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
};

function request(over: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: "qwen3-4b",
    system: "You are owlet.",
    messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }],
    tools: [],
    ...over,
  };
}

async function start(script: ScriptedReply[]) {
  server = await startScriptedServer(script);
  return createProvider({ name: "llamacpp", baseURL: server.baseURL });
}

async function collect(iter: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const ev of iter) out.push(ev);
  return out;
}

async function failure(iter: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error: unknown }> {
  const events: StreamEvent[] = [];
  try {
    for await (const ev of iter) events.push(ev);
  } catch (error) {
    return { events, error };
  }
  throw new Error("expected the stream to fail");
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe("SdkProvider against the scripted OpenAI-compatible server", () => {
  it("streams a text answer with usage and the model name", async () => {
    const p = await start([
      { text: ["Hi", " there", "!"], usage: { prompt_tokens: 50, completion_tokens: 7 } },
    ]);
    const events = await collect(p.stream(request()));
    expect(events).toEqual([
      { type: "text_delta", text: "Hi" },
      { type: "text_delta", text: " there" },
      { type: "text_delta", text: "!" },
      { type: "usage", usage: { inputTokens: 50, outputTokens: 7, cacheReadTokens: 0 } },
      { type: "finish", stopReason: "end_turn", model: "qwen3-4b" },
    ]);
    expect(p.name).toBe("llamacpp");
  });

  it("streams a fragmented tool call: start, deltas that concatenate to the arguments, done", async () => {
    const args = '{"path":"src/provider/factory.ts"}';
    const p = await start([{ toolCalls: [{ id: "call_1", name: "read_file", arguments: args, chunks: 5 }] }]);
    const events = await collect(p.stream(request({ tools: [READ_TOOL] })));
    expect(events[0]).toEqual({ type: "tool_call_start", id: "call_1", name: "read_file" });
    const deltas = events
      .filter((e) => e.type === "tool_call_delta")
      .map((e) => (e as { delta: string }).delta);
    expect(deltas.join("")).toBe(args);
    expect(events.filter((e) => e.type === "tool_call_done")).toEqual([
      { type: "tool_call_done", id: "call_1", name: "read_file", arguments: args },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "tool_use" });
  });

  it("streams two parallel tool calls in order", async () => {
    const p = await start([
      {
        text: "Reading both.",
        toolCalls: [
          { id: "a", name: "read_file", arguments: '{"path":"a.ts"}', chunks: 3 },
          { id: "b", name: "read_file", arguments: '{"path":"b.ts"}', chunks: 2 },
        ],
      },
    ]);
    const events = await collect(p.stream(request({ tools: [READ_TOOL] })));
    expect(events[0]).toEqual({ type: "text_delta", text: "Reading both." });
    expect(events.filter((e) => e.type === "tool_call_done")).toEqual([
      { type: "tool_call_done", id: "a", name: "read_file", arguments: '{"path":"a.ts"}' },
      { type: "tool_call_done", id: "b", name: "read_file", arguments: '{"path":"b.ts"}' },
    ]);
    expect(events.filter((e) => e.type === "tool_call_start").map((e) => (e as { id: string }).id)).toEqual([
      "a",
      "b",
    ]);
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "tool_use" });
  });

  it("reports a length finish as max_tokens", async () => {
    const p = await start([{ text: "Once upon", finishReason: "length" }]);
    const events = await collect(p.stream(request({ maxOutputTokens: 3 })));
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "max_tokens" });
    expect(server!.requests[0]!.body.max_tokens).toBe(3);
  });

  it("sends stream: true, include_usage, tools, tool_choice required, sampling options and converted history", async () => {
    const p = await start([{ text: "ok" }]);
    const history: Message[] = [
      { role: "user", content: [{ type: "text", text: "read a.ts" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Sure." },
          { type: "tool_call", id: "call_9", name: "read_file", arguments: '{"path":"a.ts"}' },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            toolCallId: "call_9",
            toolName: "read_file",
            content: "export {}",
            isError: false,
          },
        ],
      },
    ];
    await collect(
      p.stream(
        request({ messages: history, tools: [READ_TOOL], toolChoice: "required", temperature: 0.2, seed: 7 }),
      ),
    );
    expect(server!.requests).toHaveLength(1);
    const body = server!.requests[0]!.body;
    expect(server!.requests[0]!.path).toBe("/v1/chat/completions");
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.model).toBe("qwen3-4b");
    expect(body.tool_choice).toBe("required");
    expect(body.tools).toEqual([
      {
        type: "function",
        function: { name: "read_file", description: "Read a file", parameters: READ_TOOL.inputSchema },
      },
    ]);
    expect(body.temperature).toBe(0.2);
    expect(body.seed).toBe(7);
    expect(body.messages[0]).toEqual({ role: "system", content: "You are owlet." });
    expect(body.messages[2]).toMatchObject({
      role: "assistant",
      content: "Sure.",
      tool_calls: [
        { id: "call_9", type: "function", function: { name: "read_file", arguments: '{"path":"a.ts"}' } },
      ],
    });
    expect(body.messages[3]).toEqual({ role: "tool", tool_call_id: "call_9", content: "export {}" });
  });

  it("marks failed tool results as errors in the text (the OpenAI-compatible wire has no error flag)", async () => {
    const p = await start([{ text: "ok" }]);
    const history: Message[] = [
      { role: "user", content: [{ type: "text", text: "read two files" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_call", id: "c1", name: "read_file", arguments: '{"path":"a.ts"}' },
          { type: "tool_call", id: "c2", name: "read_file", arguments: '{"path":"b.ts"}' },
          { type: "tool_call", id: "c3", name: "read_file", arguments: '{"path":"c.ts"}' },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            toolCallId: "c1",
            toolName: "read_file",
            content: "export {}",
            isError: false,
          },
          {
            type: "tool_result",
            toolCallId: "c2",
            toolName: "read_file",
            content: "no such file",
            isError: true,
          },
          {
            type: "tool_result",
            toolCallId: "c3",
            toolName: "read_file",
            content: "Error: denied",
            isError: true,
          },
        ],
      },
    ];
    await collect(p.stream(request({ messages: history, tools: [READ_TOOL] })));
    const tools = server!.requests[0]!.body.messages.filter((m: { role: string }) => m.role === "tool");
    expect(tools).toEqual([
      { role: "tool", tool_call_id: "c1", content: "export {}" },
      { role: "tool", tool_call_id: "c2", content: "Error: no such file" },
      { role: "tool", tool_call_id: "c3", content: "Error: denied" },
    ]);
  });

  it("defaults tool_choice to auto with tools and omits tools and tool_choice without them", async () => {
    const p = await start([{ text: "a" }, { text: "b" }]);
    await collect(p.stream(request({ tools: [READ_TOOL] })));
    await collect(p.stream(request()));
    expect(server!.requests[0]!.body.tool_choice).toBe("auto");
    expect(server!.requests[1]!.body.tools).toBeUndefined();
    expect(server!.requests[1]!.body.tool_choice).toBeUndefined();
  });

  it("a 429 with Retry-After: 2 → transient, retryable, retryAfterMs 2000, and no retry by the SDK", async () => {
    const p = await start([{ status: 429, headers: { "Retry-After": "2" } }, { text: "never" }]);
    const { error, events } = await failure(p.stream(request()));
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      kind: "transient",
      retryable: true,
      retryAfterMs: 2000,
      statusCode: 429,
      provider: "llamacpp",
    });
    expect(server!.requests).toHaveLength(1);
  });

  it("a llama.cpp 500 'failed to parse tool call' → bad_request, not retryable, --jinja hint", async () => {
    const p = await start([
      {
        status: 500,
        errorBody: {
          error: {
            code: 500,
            message: "Failed to parse tool call arguments as JSON: [json.exception.parse_error.101]",
            type: "server_error",
          },
        },
      },
    ]);
    const { error } = await failure(p.stream(request({ tools: [READ_TOOL] })));
    expect(error).toMatchObject({ kind: "bad_request", retryable: false, statusCode: 500 });
    expect((error as ProviderError).hint).toBe(
      "start llama-server with --jinja (or use a model with better tool calling)",
    );
    expect(server!.requests).toHaveLength(1);
  });

  it("a 413 → too_large", async () => {
    const p = await start([
      {
        status: 413,
        errorBody: { error: { message: "Request Entity Too Large", type: "invalid_request_error" } },
      },
    ]);
    const { error } = await failure(p.stream(request()));
    expect(error).toMatchObject({ kind: "too_large", retryable: false, statusCode: 413 });
  });

  it("a llama.cpp context overflow 400 → too_large", async () => {
    const p = await start([
      {
        status: 400,
        errorBody: {
          error: {
            code: 400,
            message: "the request exceeds the available context size, try increasing it",
            type: "exceed_context_size_error",
            n_prompt_tokens: 9000,
            n_ctx: 8192,
          },
        },
      },
    ]);
    const { error } = await failure(p.stream(request()));
    expect(error).toMatchObject({ kind: "too_large", statusCode: 400 });
  });

  it("a 401 → auth, not retryable", async () => {
    const p = await start([
      { status: 401, errorBody: { error: { message: "Invalid API Key", type: "authentication_error" } } },
    ]);
    const { error } = await failure(p.stream(request()));
    expect(error).toMatchObject({ kind: "auth", retryable: false });
    expect((error as ProviderError).hint).toContain("--api-key");
  });

  it("a 200 HTML page (wrong base URL) → not_found, not retryable, --base-url hint", async () => {
    const p = await start([{ htmlPage: "<html><body>Welcome to nginx</body></html>" }]);
    const { error, events } = await failure(p.stream(request()));
    expect(events).toEqual([]);
    expect(error).toMatchObject({ kind: "not_found", retryable: false });
    expect((error as ProviderError).hint).toContain("--base-url");
  });

  it("a connection dropped mid-stream → transient, retryable", async () => {
    const p = await start([{ text: ["one ", "two ", "three"], dropAfterChunks: 2 }]);
    const { error, events } = await failure(p.stream(request()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "transient", retryable: true });
    expect(events.every((e) => e.type === "text_delta")).toBe(true);
    expect(events.map((e) => (e as { text: string }).text).join("")).not.toContain("two");
  });

  it("an unreachable port → unreachable with the URL and a hint", async () => {
    const baseURL = `http://127.0.0.1:${await freePort()}/v1`;
    const p = createProvider({ name: "llamacpp", baseURL });
    const { error } = await failure(p.stream(request()));
    expect(error).toMatchObject({ kind: "unreachable", retryable: false });
    expect((error as ProviderError).message).toContain(baseURL);
    expect((error as ProviderError).hint).toContain("llama-server");
  });

  it("an abort through the request signal passes through as an AbortError", async () => {
    const p = await start([{ text: ["a", "b", "c", "d"], chunkDelayMs: 200 }]);
    const ctl = new AbortController();
    const iter = p.stream(request({ signal: ctl.signal }));
    const { error, events } = await failure(
      (async function* () {
        for await (const ev of iter) {
          yield ev;
          if (ev.type === "text_delta") ctl.abort();
        }
      })(),
    );
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(error).not.toBeInstanceOf(ProviderError);
    expect((error as Error).name).toBe("AbortError");
  });

  it("the script running out → a 500 the engine sees as transient", async () => {
    const p = await start([]);
    const { error } = await failure(p.stream(request()));
    expect(error).toMatchObject({ kind: "transient", statusCode: 500 });
    expect((error as ProviderError).message).toContain("script exhausted");
  });
});
