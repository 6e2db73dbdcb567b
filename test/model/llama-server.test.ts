/**
 * The llama.cpp server tier (issue 16): the real `llama-server` (built by scripts/build-llama-server.sh) with
 * Qwen2.5-Coder-0.5B-Instruct on a free loopback port. A forced round is grammar-constrained (json_schema in
 * the request body) and comes back as a valid call; cache_prompt makes the next round re-read only what is new.
 * Skipped, with the reason, only when the llama-server binary is not built; a missing model fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_PICK, selectCategorySchema } from "../../src/engine/two-stage.ts";
import { ServerKindCache } from "../../src/provider/local/server/kind.ts";
import {
  createLocalServerProvider,
  type LocalRoundReport,
} from "../../src/provider/local/server/provider.ts";
import { DEFAULT_ROUND_CAPS } from "../../src/provider/local/server/rounds.ts";
import type { ProviderRequest, ToolSchema } from "../../src/provider/types.ts";
import type { StreamEvent } from "../../src/stream/events.ts";
import {
  findLlamaServer,
  findQwenModel,
  type RunningLlamaServer,
  startLlamaServer,
} from "../support/llama-server.ts";

const binary = findLlamaServer();
if (!binary) {
  process.stderr.write(
    "llama-server tier SKIPPED: no llama-server binary is built. Build it once with `sh scripts/build-llama-server.sh` " +
      "(~10+ min on 2 cores; cached under ~/.cache/owlet/llama-server/), or set OWLET_LLAMA_SERVER.\n",
  );
}

const fsRead: ToolSchema = {
  name: "fs_read",
  description: "Read a text file of the workspace.",
  inputSchema: {
    type: "object",
    properties: { path: { type: "string", description: "file path" }, offset: { type: "integer" } },
    required: ["path"],
  },
};
const bash: ToolSchema = {
  name: "bash",
  description: "Run a shell command.",
  inputSchema: { type: "object", properties: { command: { type: "string" } }, required: ["command"] },
};

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const SYSTEM =
  "You are owlet, a coding assistant working in a repository. Use the tools to inspect and fix code. " +
  "Answer briefly.";

describe.skipIf(!binary)("llama-server with Qwen2.5-Coder-0.5B", () => {
  let server: RunningLlamaServer;
  const reports: LocalRoundReport[] = [];

  beforeAll(async () => {
    const model = findQwenModel("0.5b");
    if (!model)
      throw new Error(
        "no Qwen2.5-Coder-0.5B-Instruct GGUF: set OWLET_TEST_QWEN05 or put it in ~/.cache/owlet/test-models/",
      );
    server = await startLlamaServer({ binary: binary!, model, ctx: 8192 });
  });
  afterAll(async () => {
    await server?.close();
  });

  function provider() {
    return createLocalServerProvider({
      name: "openai-compatible",
      baseURL: server.baseURL,
      kinds: new ServerKindCache(),
      onRound: (r) => reports.push(r),
    });
  }

  const prompt: ProviderRequest = {
    model: "qwen",
    system: SYSTEM,
    messages: [
      {
        role: "user",
        content: [
          {
            type: "text",
            text: "The tests in tests/test_calc.py fail: calc.add returns the wrong sum. Fix it.",
          },
        ],
      },
    ],
    tools: [],
    temperature: 0,
  };

  it("constrains the forced category pick with json_schema and returns a valid select_category call", async () => {
    const events = await collect(
      provider().stream({ ...prompt, tools: [selectCategorySchema()], toolChoice: "required" }),
    );
    const report = reports.at(-1)!;
    expect(report.server.kind).toBe("llamacpp");
    expect(report.constrained).toBe(true);
    expect(report.body?.json_schema).toBeDefined();
    expect(report.body?.tool_choice).toBe("none");
    expect(report.body?.max_tokens).toBe(DEFAULT_ROUND_CAPS.select);
    const call = events.find((e) => e.type === "tool_call_done");
    expect(call, JSON.stringify(events)).toBeDefined();
    if (call?.type !== "tool_call_done") return;
    expect(call.name).toBe("select_category");
    expect(BUILTIN_PICK).toContain(JSON.parse(call.arguments).category);
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "tool_use" });
  });

  it("a forced call among real tools is valid by construction (a known tool, its required arguments)", async () => {
    const events = await collect(
      provider().stream({ ...prompt, tools: [fsRead, bash], toolChoice: "required" }),
    );
    const call = events.find((e) => e.type === "tool_call_done");
    expect(call, JSON.stringify(events)).toBeDefined();
    if (call?.type !== "tool_call_done") return;
    expect(["fs_read", "bash"]).toContain(call.name);
    const args = JSON.parse(call.arguments);
    if (call.name === "fs_read") expect(typeof args.path).toBe("string");
    else expect(typeof args.command).toBe("string");
  });

  it("reuses the KV cache: a follow-up round re-reads only what is new (timings.prompt_n)", async () => {
    const p = provider();
    const first: ProviderRequest = {
      ...prompt,
      tools: [fsRead, bash],
      toolChoice: "auto",
      maxOutputTokens: 16,
    };
    await collect(p.stream(first));
    const firstTimings = reports.at(-1)!.timings;
    const followUp: ProviderRequest = {
      ...first,
      messages: [
        ...first.messages,
        {
          role: "assistant",
          content: [{ type: "tool_call", id: "c1", name: "fs_read", arguments: '{"path":"calc.py"}' }],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              toolCallId: "c1",
              toolName: "fs_read",
              content: "def add(a, b):\n    return a - b\n",
              isError: false,
            },
          ],
        },
      ],
    };
    await collect(p.stream(followUp));
    const secondTimings = reports.at(-1)!.timings;
    process.stderr.write(
      `llama-server cache: round 1 prompt_n=${firstTimings?.promptN} cache_n=${firstTimings?.cacheN}; ` +
        `round 2 prompt_n=${secondTimings?.promptN} cache_n=${secondTimings?.cacheN}\n`,
    );
    // Round 2 shares round 1's prompt as its prefix: only the new messages are evaluated.
    const firstTotal = (firstTimings?.promptN ?? 0) + (firstTimings?.cacheN ?? 0);
    expect(secondTimings?.cacheN ?? 0).toBeGreaterThanOrEqual(firstTotal - 8);
    expect(secondTimings?.promptN ?? Number.POSITIVE_INFINITY).toBeLessThan(firstTotal / 2);
  });
});
