import { afterEach, describe, expect, it } from "vitest";
import { type ScriptedServer, startScriptedServer } from "./scripted-server.ts";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Reads an SSE body into the list of `data:` payloads (JSON-parsed except `[DONE]`). */
async function readSse(res: Response): Promise<unknown[]> {
  const text = await res.text();
  expect(text.endsWith("\n\n")).toBe(true);
  return text
    .split("\n\n")
    .filter((block) => block.length > 0)
    .map((block) => {
      expect(block.startsWith("data: ")).toBe(true);
      const payload = block.slice("data: ".length);
      return payload === "[DONE]" ? "[DONE]" : JSON.parse(payload);
    });
}

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server!.baseURL}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("startScriptedServer", () => {
  it("binds loopback and exposes a /v1 base URL", async () => {
    server = await startScriptedServer([]);
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it("streams a text answer in OpenAI chunk format with a usage chunk and [DONE]", async () => {
    server = await startScriptedServer([
      { text: ["Hel", "lo"], usage: { prompt_tokens: 12, completion_tokens: 3 } },
    ]);
    const res = await post({
      model: "m1",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = (await readSse(res)) as any[];
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1);
    for (const c of chunks) {
      expect(c.object).toBe("chat.completion.chunk");
      expect(c.model).toBe("m1");
    }
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(chunks[1].choices[0].delta).toEqual({ content: "Hel" });
    expect(chunks[2].choices[0].delta).toEqual({ content: "lo" });
    expect(chunks[3].choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    expect(chunks[4].choices).toEqual([]);
    expect(chunks[4].usage).toEqual({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
    expect(chunks).toHaveLength(5);
  });

  it("omits the usage chunk when include_usage is not requested", async () => {
    server = await startScriptedServer([{ text: "ok" }]);
    const events = (await readSse(await post({ model: "m", messages: [], stream: true }))) as any[];
    expect(events.filter((e) => e !== "[DONE]" && e.choices.length === 0)).toHaveLength(0);
    expect(events.filter((e) => e !== "[DONE]").every((e) => !("usage" in e))).toBe(true);
  });

  it("streams reasoning as reasoning_content before the text", async () => {
    server = await startScriptedServer([{ reasoning: "think", text: "answer" }]);
    const events = (await readSse(await post({ model: "m", messages: [], stream: true }))) as any[];
    expect(events[1].choices[0].delta).toEqual({ reasoning_content: "think" });
    expect(events[2].choices[0].delta).toEqual({ content: "answer" });
  });

  it("streams tool calls: id and name on the first delta, then argument fragments, finish tool_calls", async () => {
    const args = '{"path":"src/a.ts","limit":10}';
    server = await startScriptedServer([
      {
        toolCalls: [
          { id: "call_a", name: "read", arguments: args, chunks: 3 },
          { name: "ls", arguments: "{}" },
        ],
      },
    ]);
    const events = (await readSse(await post({ model: "m", messages: [], stream: true }))) as any[];
    const deltas = events
      .filter((e) => e !== "[DONE]" && e.choices[0]?.delta?.tool_calls)
      .map((e) => e.choices[0].delta.tool_calls[0]);
    expect(deltas[0]).toEqual({
      index: 0,
      id: "call_a",
      type: "function",
      function: { name: "read", arguments: "" },
    });
    const frags0 = deltas.filter((d) => d.index === 0).slice(1);
    expect(frags0).toHaveLength(3);
    for (const f of frags0) expect(Object.keys(f).sort()).toEqual(["function", "index"]);
    expect(frags0.map((d) => d.function.arguments).join("")).toBe(args);
    const first1 = deltas.find((d) => d.index === 1);
    expect(first1).toEqual({
      index: 1,
      id: "call_0_1",
      type: "function",
      function: { name: "ls", arguments: "" },
    });
    const last = events.at(-2);
    expect(last.choices[0].finish_reason).toBe("tool_calls");
  });

  it("answers non-stream requests with one JSON completion", async () => {
    server = await startScriptedServer([
      { text: "x", toolCalls: [{ id: "c1", name: "t", arguments: '{"a":1}' }] },
    ]);
    const res = await post({ model: "m", messages: [{ role: "user", content: "hi" }] });
    const json = (await res.json()) as any;
    expect(json.object).toBe("chat.completion");
    expect(json.choices[0].message).toEqual({
      role: "assistant",
      content: "x",
      tool_calls: [{ id: "c1", type: "function", function: { name: "t", arguments: '{"a":1}' } }],
    });
    expect(json.choices[0].finish_reason).toBe("tool_calls");
    expect(json.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("answers scripted error statuses with headers and an OpenAI-style body", async () => {
    server = await startScriptedServer([
      { status: 429, headers: { "retry-after": "2" } },
      { status: 500, errorBody: { error: { message: "custom", type: "server_error", code: 500 } } },
    ]);
    const r1 = await post({ model: "m", messages: [], stream: true });
    expect(r1.status).toBe(429);
    expect(r1.headers.get("retry-after")).toBe("2");
    const b1 = (await r1.json()) as any;
    expect(typeof b1.error.message).toBe("string");
    const r2 = await post({ model: "m", messages: [], stream: true });
    expect(r2.status).toBe(500);
    expect(((await r2.json()) as any).error.message).toBe("custom");
  });

  it("answers 500 with a clear message when the script runs out", async () => {
    server = await startScriptedServer([{ text: "one" }]);
    await (await post({ model: "m", messages: [] })).text();
    const res = await post({ model: "m", messages: [] });
    expect(res.status).toBe(500);
    expect(((await res.json()) as any).error.message).toMatch(/script exhausted.*#2.*1 replies/);
  });

  it("records every request in order with path, headers and parsed body", async () => {
    server = await startScriptedServer([{ text: "a" }, { text: "b" }], { nCtx: 4096 });
    await (
      await post(
        { model: "m", messages: [{ role: "user", content: "first" }] },
        { authorization: "Bearer k" },
      )
    ).text();
    await (await fetch(`${server.baseURL}/models`)).text();
    await (await post({ model: "m", messages: [{ role: "user", content: "second" }] })).text();
    expect(server.requests.map((r) => r.path)).toEqual([
      "/v1/chat/completions",
      "/v1/models",
      "/v1/chat/completions",
    ]);
    expect(server.requests[0]!.headers.authorization).toBe("Bearer k");
    expect(server.requests[0]!.body.messages[0].content).toBe("first");
    expect(server.requests[1]!.body).toBeUndefined();
    expect(server.requests[2]!.body.messages[0].content).toBe("second");
  });

  it("passes the request and chat index to a script function", async () => {
    server = await startScriptedServer((req, index) => ({
      text: `${index}:${req.body.messages[0].content}`,
    }));
    const a = (await (await post({ model: "m", messages: [{ role: "user", content: "x" }] })).json()) as any;
    const b = (await (await post({ model: "m", messages: [{ role: "user", content: "y" }] })).json()) as any;
    expect(a.choices[0].message.content).toBe("0:x");
    expect(b.choices[0].message.content).toBe("1:y");
  });

  it("lists models and serves llama.cpp /props only when nCtx is given", async () => {
    server = await startScriptedServer([], { nCtx: 8192, models: ["qwen", "gemma"] });
    const models = (await (await fetch(`${server.baseURL}/models`)).json()) as any;
    expect(models.data.map((m: any) => m.id)).toEqual(["qwen", "gemma"]);
    const root = server.baseURL.replace(/\/v1$/, "");
    const props = (await (await fetch(`${root}/props`)).json()) as any;
    expect(props).toEqual({
      default_generation_settings: { n_ctx: 8192 },
      chat_template_caps: { supports_tools: true, supports_tool_calls: true },
    });
    await server.close();
    server = await startScriptedServer([]);
    const res = await fetch(`${server.baseURL.replace(/\/v1$/, "")}/props`);
    expect(res.status).toBe(404);
    await res.text();
  });

  it("destroys the socket mid-stream after dropAfterChunks events", async () => {
    server = await startScriptedServer([{ text: ["a", "b", "c"], dropAfterChunks: 2 }]);
    const res = await post({ model: "m", messages: [], stream: true });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it("delays the response by delayMs", async () => {
    server = await startScriptedServer([{ text: "slow", delayMs: 150 }]);
    const t0 = Date.now();
    await (await post({ model: "m", messages: [] })).text();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });
});
