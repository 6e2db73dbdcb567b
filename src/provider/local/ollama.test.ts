import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeOllama } from "../../../test/support/fake-local-servers.ts";
import type { StreamEvent } from "../../stream/events.ts";
import { ProviderError } from "../errors.ts";
import type { ProviderRequest } from "../types.ts";
import { createOllamaProvider } from "./ollama.ts";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function request(numCtx?: number): ProviderRequest {
  return {
    model: "qwen2.5-coder:1.5b",
    system: "You are terse.",
    messages: [{ role: "user", content: [{ type: "text", text: "ping" }] }],
    tools: [],
    maxOutputTokens: 128,
    ...(numCtx !== undefined ? { numCtx } : {}),
  };
}

async function collect(it: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe("createOllamaProvider", () => {
  it("is named ollama and sends each request's num_ctx to /api/chat", async () => {
    server = await startFakeOllama({ reply: "pong" });
    const provider = createOllamaProvider({ baseURL: `${server.origin}/v1` });
    expect(provider.name).toBe("ollama");

    const first = await collect(provider.stream(request(5120)));
    const second = await collect(provider.stream(request(9216)));

    const bodies = server.requests
      .filter((r) => r.path === "/api/chat")
      .map((r) => r.body as { options?: { num_ctx?: number; num_predict?: number }; messages: unknown[] });
    expect(bodies.map((b) => b.options?.num_ctx)).toEqual([5120, 9216]);
    expect(bodies[0]?.options?.num_predict).toBe(128);
    expect(JSON.stringify(bodies[0]?.messages)).toContain("You are terse.");

    for (const events of [first, second]) {
      const text = events.flatMap((e) => (e.type === "text_delta" ? [e.text] : [])).join("");
      expect(text).toBe("pong");
      expect(events.at(-1)?.type).toBe("finish");
    }
  });
});

describe("createOllamaProvider tool calls", () => {
  it("streams a native tool call and sends tools plus tool results back on the next request", async () => {
    server = await startFakeOllama({ toolCall: { name: "read_file", arguments: { path: "math.js" } } });
    const provider = createOllamaProvider({ baseURL: server.origin });
    const tools = [
      {
        name: "read_file",
        description: "Read a file",
        inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      },
    ];
    const events = await collect(provider.stream({ ...request(4096), tools, toolChoice: "required" }));
    const done = events.find((e) => e.type === "tool_call_done");
    expect(done).toMatchObject({ type: "tool_call_done", name: "read_file" });
    expect(JSON.parse((done as { arguments: string }).arguments)).toEqual({ path: "math.js" });
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "tool_use" });

    const id = (done as { id: string }).id;
    await collect(
      provider.stream({
        ...request(4096),
        tools,
        messages: [
          { role: "user", content: [{ type: "text", text: "what does math.js do?" }] },
          {
            role: "assistant",
            content: [{ type: "tool_call", id, name: "read_file", arguments: '{"path":"math.js"}' }],
          },
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                toolCallId: id,
                toolName: "read_file",
                content: "export const add",
                isError: false,
              },
            ],
          },
        ],
      }),
    );
    const bodies = server.requests
      .filter((r) => r.path === "/api/chat")
      .map((r) => r.body as Record<string, unknown>);
    expect(JSON.stringify(bodies[0]?.tools)).toContain("read_file");
    const history = JSON.stringify(bodies[1]?.messages);
    expect(history).toContain("export const add");
    expect((bodies[1]?.options as { num_ctx?: number } | undefined)?.num_ctx).toBe(4096);
  });

  it("marks a failed tool result as an error in the tool message text (Ollama has no error flag)", async () => {
    server = await startFakeOllama({ reply: "ok" });
    const provider = createOllamaProvider({ baseURL: server.origin });
    await collect(
      provider.stream({
        ...request(4096),
        messages: [
          { role: "user", content: [{ type: "text", text: "read x" }] },
          {
            role: "assistant",
            content: [{ type: "tool_call", id: "c1", name: "read_file", arguments: '{"path":"x"}' }],
          },
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                toolCallId: "c1",
                toolName: "read_file",
                content: "ENOENT",
                isError: true,
              },
            ],
          },
        ],
      }),
    );
    const body = server.requests.find((r) => r.path === "/api/chat")?.body as {
      messages: { role: string; content: string }[];
    };
    expect(body.messages.filter((m) => m.role === "tool").map((m) => m.content)).toEqual(["Error: ENOENT"]);
  });
});

/** An /api/chat server that writes `lines` (NDJSON) with status 200 and closes. */
async function ndjsonServer(lines: string[]): Promise<{ origin: string; server: Server }> {
  const srv = createServer((_req, res) => {
    _req.resume();
    _req.on("end", () => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.end(lines.map((l) => `${l}\n`).join(""));
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, server: srv };
}

async function failure(it: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error: unknown }> {
  const events: StreamEvent[] = [];
  try {
    for await (const e of it) events.push(e);
  } catch (error) {
    return { events, error };
  }
  return { events, error: undefined };
}

describe("createOllamaProvider mid-stream failures", () => {
  const at = new Date(0).toISOString();
  const chunk = (content: string) =>
    JSON.stringify({ model: "m", created_at: at, message: { role: "assistant", content }, done: false });
  const done = JSON.stringify({
    model: "m",
    created_at: at,
    message: { role: "assistant", content: "" },
    done: true,
    done_reason: "stop",
    prompt_eval_count: 3,
    eval_count: 2,
  });
  let srv: Server | undefined;
  afterEach(async () => {
    srv?.closeAllConnections();
    await new Promise<void>((resolve) => (srv ? srv.close(() => resolve()) : resolve()));
    srv = undefined;
  });

  it("an {error} line after the 200 → a transient ProviderError, not a normal finish", async () => {
    const s = await ndjsonServer([
      chunk("Hel"),
      JSON.stringify({ error: "model runner has unexpectedly stopped" }),
    ]);
    srv = s.server;
    const { events, error } = await failure(createOllamaProvider({ baseURL: s.origin }).stream(request()));
    expect(events).toEqual([{ type: "text_delta", text: "Hel" }]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "transient", retryable: true, provider: "ollama" });
    expect((error as ProviderError).message).toContain("model runner has unexpectedly stopped");
  });

  it("a stream that ends without the done line → a transient ProviderError", async () => {
    const s = await ndjsonServer([chunk("Hel"), chunk("lo")]);
    srv = s.server;
    const { events, error } = await failure(createOllamaProvider({ baseURL: s.origin }).stream(request()));
    expect(events.some((e) => e.type === "finish")).toBe(false);
    expect(error).toMatchObject({ kind: "transient", retryable: true });
  });

  it("a complete stream still finishes normally", async () => {
    const s = await ndjsonServer([chunk("Hel"), chunk("lo"), done]);
    srv = s.server;
    const { events, error } = await failure(createOllamaProvider({ baseURL: s.origin }).stream(request()));
    expect(error).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "end_turn" });
    expect(
      events
        .filter((e) => e.type === "text_delta")
        .map((e) => (e as { text: string }).text)
        .join(""),
    ).toBe("Hello");
  });
});
