import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeOllama } from "../../../test/support/fake-local-servers.ts";
import type { StreamEvent } from "../../stream/events.ts";
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
});
