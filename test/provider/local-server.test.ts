/**
 * The local-server provider against the scripted OpenAI-compatible server (real HTTP, real SSE wire format):
 * every request carries a completion cap whatever provider name was picked, forced rounds on a llama.cpp
 * server are constrained (visible in the request body), and a runaway stream is cut and the turn goes on.
 */
import { mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { armProvider as providerFor } from "../../src/agent/arm-provider.ts";
import { CONTINUE_MESSAGE, Engine } from "../../src/engine/engine.ts";
import { FixedRouting } from "../../src/engine/fixed-routing.ts";
import type { ArmHandle } from "../../src/engine/routing.ts";
import { selectCategorySchema } from "../../src/engine/two-stage.ts";
import { detectServerKind } from "../../src/provider/local/server/kind.ts";
import {
  createLocalServerProvider,
  type LocalRoundReport,
} from "../../src/provider/local/server/provider.ts";
import { DEFAULT_ROUND_CAPS } from "../../src/provider/local/server/rounds.ts";
import type { ProviderRequest, ToolSchema } from "../../src/provider/types.ts";
import type { StreamEvent } from "../../src/stream/events.ts";
import { builtinTools, DEFAULT_TOOL_LIMITS } from "../../src/tool/builtin/index.ts";
import { ToolRegistry } from "../../src/tool/registry.ts";
import {
  type FakeServer,
  startFakeLlamaCpp,
  startFakeLmStudio,
  startFakeOllama,
} from "../support/fake-local-servers.ts";
import { type ScriptedServer, startScriptedServer } from "../support/scripted-server.ts";

const servers: (ScriptedServer | FakeServer)[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const fsRead: ToolSchema = {
  name: "fs_read",
  description: "read a file",
  inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
};

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

function request(over: Partial<ProviderRequest>): ProviderRequest {
  return {
    model: "scripted-model",
    system: "sys",
    messages: [{ role: "user", content: [{ type: "text", text: "fix it" }] }],
    tools: [],
    ...over,
  };
}

describe("local-server provider: completion caps", () => {
  it("openai-compatible on 127.0.0.1 sends max_tokens on every request, by round kind, like llamacpp", async () => {
    for (const name of ["openai-compatible", "llamacpp"] as const) {
      const server = await startScriptedServer(() => ({ text: "ok" }));
      servers.push(server);
      const provider = await providerFor({ provider: name, baseURL: server.baseURL, local: true });
      await collect(provider.stream(request({ tools: [selectCategorySchema()], toolChoice: "required" })));
      await collect(provider.stream(request({ tools: [fsRead], toolChoice: "required" })));
      await collect(provider.stream(request({ tools: [fsRead], toolChoice: "auto" })));
      await collect(provider.stream(request({ tools: [], maxOutputTokens: 50 })));
      const chats = server.requests.filter((r) => r.path.startsWith("/v1/chat/completions"));
      expect(chats.map((r) => r.body.max_tokens)).toEqual([
        DEFAULT_ROUND_CAPS.select,
        DEFAULT_ROUND_CAPS.call,
        DEFAULT_ROUND_CAPS.answer,
        50,
      ]);
    }
  });

  it("a cloud-style (non-local) openai-compatible arm is left as it was: no cap added", async () => {
    const server = await startScriptedServer(() => ({ text: "ok" }));
    servers.push(server);
    const provider = await providerFor({
      provider: "openai-compatible",
      baseURL: server.baseURL,
      local: false,
    });
    await collect(provider.stream(request({ tools: [fsRead] })));
    expect(server.requests.at(-1)?.body.max_tokens).toBeUndefined();
  });
});

describe("local-server provider: forced rounds on llama.cpp", () => {
  it("detects llama.cpp once, constrains a forced round with json_schema and turns the JSON into a call", async () => {
    const server = await startScriptedServer(
      () => ({ text: ['{"name": "select_category", ', '"arguments": {"category": "read"}}'] }),
      { nCtx: 4096 },
    );
    servers.push(server);
    const reports: LocalRoundReport[] = [];
    const provider = createLocalServerProvider({
      name: "openai-compatible",
      baseURL: server.baseURL,
      onRound: (r) => reports.push(r),
    });
    const events = await collect(
      provider.stream(request({ tools: [selectCategorySchema()], toolChoice: "required" })),
    );
    await collect(provider.stream(request({ tools: [selectCategorySchema()], toolChoice: "required" })));

    expect(server.requests.filter((r) => r.path === "/props")).toHaveLength(1);
    const body = server.requests.find((r) => r.path.startsWith("/v1/chat/completions"))!.body;
    expect(body.json_schema.required).toEqual(["name", "arguments"]);
    expect(body.json_schema.properties.name).toEqual({ const: "select_category" });
    expect(body.tool_choice).toBe("none");
    expect(body.tools.map((t: any) => t.function.name)).toEqual(["select_category"]);
    expect(body.cache_prompt).toBe(true);
    expect(body.max_tokens).toBe(DEFAULT_ROUND_CAPS.select);
    expect(reports[0]).toMatchObject({ kind: "select", constrained: true, server: { kind: "llamacpp" } });

    const done = events.find((e) => e.type === "tool_call_done");
    expect(done).toMatchObject({ name: "select_category", arguments: '{"category":"read"}' });
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "tool_use" });
    expect(events.some((e) => e.type === "text_delta")).toBe(false);
  });

  it("an unforced round is not constrained; a server of unknown kind gets no constraint (text parsing stays)", async () => {
    const server = await startScriptedServer(() => ({ text: "plain answer" }));
    servers.push(server);
    const provider = createLocalServerProvider({ name: "openai-compatible", baseURL: server.baseURL });
    await collect(provider.stream(request({ tools: [selectCategorySchema()], toolChoice: "required" })));
    const body = server.requests.find((r) => r.path.startsWith("/v1/chat/completions"))!.body;
    expect(body.json_schema).toBeUndefined();
    expect(body.tool_choice).toBe("required");
    expect(body.cache_prompt).toBeUndefined();
    expect(body.max_tokens).toBe(DEFAULT_ROUND_CAPS.select);
  });
});

describe("local-server provider: runaway streams", () => {
  it("cuts prose-then-unending-whitespace (16 chars per 50 ms) within 20 s, and the turn goes on to do the task", async () => {
    const runaway = [
      "Failed to run unittest\n",
      ...Array.from({ length: 2000 }, () => "        \n\n\n\n\n\n\n\n"),
    ];
    const server = await startScriptedServer([
      { text: runaway, chunkDelayMs: 50 },
      { toolCalls: [{ name: "fs_write", arguments: '{"path": "fixed.txt", "content": "fixed\\n"}' }] },
      { text: "Fixed." },
    ]);
    servers.push(server);
    const workspace = await realpath(await mkdtemp(join(tmpdir(), "owlet-local-server-")));
    dirs.push(workspace);
    const provider = await providerFor({
      provider: "openai-compatible",
      baseURL: server.baseURL,
      local: true,
    });
    const arm: ArmHandle = { id: "local/scripted", provider, model: "scripted-model", local: true };
    const registry = new ToolRegistry();
    for (const t of builtinTools()) registry.register(t);
    const engine = new Engine({
      routing: new FixedRouting(arm),
      tools: registry,
      toolContext: { workspaceRoot: workspace, limits: DEFAULT_TOOL_LIMITS },
      systemPrompt: () => "You are a test assistant.",
      twoStage: "off",
      retryDelaysMs: [10, 20, 40, 80],
    });
    const started = Date.now();
    const result = await engine.runTurn("fix the bug");
    const turnMs = Date.now() - started; // the whole turn, cut round included

    const chats = server.requests.filter((r) => r.path.startsWith("/v1/chat/completions"));
    expect(chats).toHaveLength(3);
    // the cut round was not taken as the answer: the model was asked to go on
    const second = JSON.stringify(chats[1]!.body.messages);
    expect(second).toContain(CONTINUE_MESSAGE);
    expect(second).not.toMatch(/ {8}\\n\\n\\n/); // the whitespace run never reached the history
    expect(chats.every((r) => typeof r.body.max_tokens === "number")).toBe(true);
    expect(result.status).toBe("success");
    expect(await readFile(join(workspace, "fixed.txt"), "utf8")).toBe("fixed\n");
    expect(turnMs).toBeLessThan(20_000);
  });

  it("ends a cut round with finish/max_tokens, never end_turn", async () => {
    const server = await startScriptedServer([
      { text: ["Let me think.\n", ...Array.from({ length: 500 }, () => "\n".repeat(16))], chunkDelayMs: 5 },
    ]);
    servers.push(server);
    const reports: LocalRoundReport[] = [];
    const provider = createLocalServerProvider({
      name: "llamacpp",
      baseURL: server.baseURL,
      onRound: (r) => reports.push(r),
    });
    const started = Date.now();
    const events = await collect(provider.stream(request({ tools: [fsRead] })));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(events.at(-1)).toEqual({ type: "finish", stopReason: "max_tokens" });
    expect(
      events
        .filter((e) => e.type === "text_delta")
        .map((e) => (e as { text: string }).text)
        .join(""),
    ).toBe("Let me think.");
    expect(reports[0]?.cut?.reason).toBe("whitespace");
  });

  it("cuts a round whose generation runs over its time limit (the clock starts when content arrives)", async () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i} `);
    const server = await startScriptedServer([{ text: words, chunkDelayMs: 20 }]);
    servers.push(server);
    const reports: LocalRoundReport[] = [];
    const provider = createLocalServerProvider({
      name: "openai-compatible",
      baseURL: server.baseURL,
      settings: { generationSeconds: 1 },
      onRound: (r) => reports.push(r),
    });
    const events = await collect(provider.stream(request({})));
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "max_tokens" });
    expect(reports[0]?.cut?.reason).toBe("generation_time");
  });
});

describe("local-server provider: the generation clock does not count the prompt read", () => {
  it("a llama.cpp-style stream that reads its prompt for 2.5 s and then generates for 0.5 s is not cut at a 1 s limit", async () => {
    // llama.cpp with return_progress: progress chunks (the last says processed = total before the last batch is
    // evaluated), then one chunk per generated token; the first carries the assistant role.
    const { createServer } = await import("node:http");
    const chunk = (
      delta: Record<string, unknown>,
      extra: Record<string, unknown> = {},
      finish: string | null = null,
    ) =>
      `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const srv = createServer(async (req, res) => {
      if (req.url === "/props") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ default_generation_settings: { n_ctx: 4096 }, build_info: "b1" }));
        return;
      }
      if (!req.url?.startsWith("/v1/chat/completions")) {
        res.writeHead(404).end();
        return;
      }
      for await (const _ of req) {
        // drain the body
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      const progress = (processed: number) =>
        chunk(
          { role: "assistant", content: null },
          { prompt_progress: { total: 900, cache: 0, processed, time_ms: 1 } },
        );
      res.write(progress(0));
      await sleep(300);
      res.write(progress(900)); // batched, not yet evaluated
      await sleep(2200); // the last batch is evaluated: still the prompt read
      res.write(chunk({ role: "assistant", content: null })); // first token (held back by the server)
      for (let i = 0; i < 5; i++) {
        await sleep(100);
        res.write(chunk({ content: `w${i} ` }));
      }
      res.write(chunk({}, { timings: { prompt_n: 900, cache_n: 0, predicted_n: 6 } }, "stop"));
      res.end("data: [DONE]\n\n");
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const port = (srv.address() as { port: number }).port;
    try {
      const reports: LocalRoundReport[] = [];
      const provider = createLocalServerProvider({
        name: "llamacpp",
        baseURL: `http://127.0.0.1:${port}/v1`,
        settings: { generationSeconds: 1 },
        onRound: (r) => reports.push(r),
      });
      const events = await collect(provider.stream(request({})));
      expect(reports[0]?.cut).toBeUndefined();
      expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "end_turn" });
      expect(reports[0]?.timings).toMatchObject({ promptN: 900, cacheN: 0, predictedN: 6 });
      expect(reports[0]?.body).toMatchObject({
        cache_prompt: true,
        return_progress: true,
        t_max_predict_ms: 1000,
      });
    } finally {
      srv.closeAllConnections();
      await new Promise((r) => srv.close(() => r(undefined)));
    }
  });
});

describe("server kind detection and Ollama's format", () => {
  it("tells llama.cpp, Ollama, vLLM, LM Studio and an unknown server apart", async () => {
    const llama = await startFakeLlamaCpp();
    const ollama = await startFakeOllama();
    const lmstudio = await startFakeLmStudio();
    const unknown = await startScriptedServer(() => ({ text: "x" }));
    servers.push(llama, ollama, lmstudio, unknown);
    const { createServer } = await import("node:http");
    const vllm = createServer((req, res) => {
      res.writeHead(req.url === "/version" ? 200 : 404, { "content-type": "application/json" });
      res.end(req.url === "/version" ? JSON.stringify({ version: "0.11.0" }) : "{}");
    });
    await new Promise<void>((r) => vllm.listen(0, "127.0.0.1", () => r()));
    try {
      const vllmURL = `http://127.0.0.1:${(vllm.address() as { port: number }).port}/v1`;
      expect((await detectServerKind(`${llama.origin}/v1`)).kind).toBe("llamacpp");
      expect(await detectServerKind(ollama.origin)).toEqual({ kind: "ollama", version: "0.0.0-fake" });
      expect(await detectServerKind(vllmURL)).toEqual({ kind: "vllm", version: "0.11.0" });
      expect((await detectServerKind(`${lmstudio.origin}/v1`)).kind).toBe("lmstudio");
      expect((await detectServerKind(unknown.baseURL)).kind).toBe("unknown");
    } finally {
      await new Promise((r) => vllm.close(() => r(undefined)));
    }
  });

  it("an Ollama arm gets num_predict on every request and a forced round's format schema, read back as a call", async () => {
    const ollama = await startFakeOllama({ reply: '{"name": "fs_read", "arguments": {"path": "calc.py"}}' });
    servers.push(ollama);
    const provider = await providerFor({ provider: "ollama", baseURL: ollama.origin, local: true });
    const events = await collect(provider.stream(request({ tools: [fsRead], toolChoice: "required" })));
    const chat = ollama.requests.find((r) => r.path === "/api/chat")!.body as any;
    expect(chat.format.properties.name).toEqual({ const: "fs_read" });
    expect(chat.options.num_predict).toBe(DEFAULT_ROUND_CAPS.call);
    expect(events.find((e) => e.type === "tool_call_done")).toMatchObject({
      name: "fs_read",
      arguments: '{"path":"calc.py"}',
    });
  });
});
