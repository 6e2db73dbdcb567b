import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Message } from "../../src/message/types.ts";
import { EmbeddedProvider } from "../../src/provider/local/embedded.ts";
import type { ProviderRequest, ToolSchema } from "../../src/provider/types.ts";
import type { StreamEvent } from "../../src/stream/events.ts";
import { collect, orderViolation } from "./collect.ts";
import { testModelPath } from "./model-path.ts";

const CATEGORIES = ["read", "write", "search", "exec", "meta"] as const;

const selectCategory: ToolSchema = {
  name: "select_category",
  description: "Pick the kind of tool you need next: read, write, search, exec or meta.",
  inputSchema: {
    type: "object",
    properties: { category: { type: "string", enum: [...CATEGORIES] } },
    required: ["category"],
  },
};

/**
 * Two real tool shapes (optional properties included) as the tool layer sends them, and strict validators for
 * them. `integer` is checked as "a whole number": that is all a JSON grammar can enforce (no digit limits).
 */
const wholeNumber = z.number().refine(Number.isInteger, "not an integer");
const zodTools = {
  fs_read: z
    .object({ path: z.string(), offset: wholeNumber.optional(), limit: wholeNumber.optional() })
    .strict(),
  fs_grep: z.object({ pattern: z.string(), path: z.string().optional() }).strict(),
} as const;
const fileTools: ToolSchema[] = [
  {
    name: "fs_read",
    description: "Read a text file.",
    inputSchema: {
      type: "object",
      properties: {
        path: { type: "string", description: "File path relative to the workspace" },
        offset: { type: "integer", description: "First line (1-based)" },
        limit: { type: "integer", description: "Number of lines" },
      },
      required: ["path"],
    },
  },
  {
    name: "fs_grep",
    description: "Search file contents with a regex.",
    inputSchema: {
      type: "object",
      properties: {
        pattern: { type: "string", description: "Regular expression" },
        path: { type: "string", description: "Directory or file to search" },
      },
      required: ["pattern"],
    },
  },
];

const PROMPTS = [
  "Show me what src/index.ts contains.",
  "Create a file hello.py that prints hello.",
  "Find every TODO comment in the repository.",
  "Run the test suite with npm test.",
  "What can you do?",
  "List the files in the src directory.",
  "Rename the function parseArgs to parseArguments in cli.ts.",
  "Where is the function computeTotal defined?",
  "Install the dependencies and build the project.",
  "Explain what the README says about configuration.",
  "Add a .gitignore entry for node_modules.",
  "Search for usages of the deprecated fetchUser API.",
  "Check which version of node is installed.",
  "Read package.json and tell me the project name.",
  "Fix the typo in docs/usage.md line 3.",
  "Grep for 'password' in the config folder.",
  "Run git status.",
  "Summarise the last commit.",
  "Write a unit test for math.js.",
  "Which files import lodash?",
];

function userTurn(text: string): Message[] {
  return [{ role: "user", content: [{ type: "text", text }] }];
}

function request(over: Partial<ProviderRequest>): ProviderRequest {
  return {
    model: "smollm2-135m",
    system: "You are owlet, a coding assistant.",
    messages: [],
    tools: [],
    ...over,
  };
}

function doneCalls(events: StreamEvent[]) {
  return events.filter(
    (e): e is Extract<StreamEvent, { type: "tool_call_done" }> => e.type === "tool_call_done",
  );
}

function usageOf(events: StreamEvent[]) {
  const usage = events.find((e): e is Extract<StreamEvent, { type: "usage" }> => e.type === "usage");
  if (!usage) throw new Error("no usage event");
  return usage.usage;
}

function finishOf(events: StreamEvent[]) {
  const finish = events.find((e): e is Extract<StreamEvent, { type: "finish" }> => e.type === "finish");
  if (!finish) throw new Error("no finish event");
  return finish;
}

describe("embedded provider on SmolLM2-135M-Instruct", () => {
  let provider: EmbeddedProvider;

  beforeAll(async () => {
    provider = await EmbeddedProvider.load({ modelPath: testModelPath(), contextSize: 4096 });
  });
  afterAll(async () => {
    await provider?.dispose();
  });

  it("loads the model with a context window capped by the request and counts tokens with its tokenizer", () => {
    expect(provider.contextWindow).toBe(4096);
    const short = provider.countTokens("hello");
    const long = provider.countTokens("hello ".repeat(50));
    expect(short).toBeGreaterThan(0);
    expect(long).toBeGreaterThan(short * 10);
  });

  it("streams text deltas, usage and one finish", async () => {
    const events = await collect(
      provider,
      request({ messages: userTurn("Say hello in one short sentence."), maxOutputTokens: 40 }),
    );
    expect(orderViolation(events)).toBeUndefined();
    const text = events.flatMap((e) => (e.type === "text_delta" ? [e.text] : [])).join("");
    expect(text.trim().length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === "text_delta").length).toBeGreaterThan(1);
    const usage = usageOf(events);
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeLessThanOrEqual(41);
    expect(["end_turn", "max_tokens"]).toContain(finishOf(events).stopReason);
  });

  it("stops at maxOutputTokens with stop reason max_tokens", async () => {
    const events = await collect(
      provider,
      request({
        messages: userTurn("Write a long story about a robot who learns to code."),
        maxOutputTokens: 5,
      }),
    );
    expect(finishOf(events).stopReason).toBe("max_tokens");
    expect(usageOf(events).outputTokens).toBeLessThanOrEqual(6);
  });

  it("forces a valid select_category call on 20 seeded prompts", async () => {
    for (const [i, prompt] of PROMPTS.entries()) {
      const events = await collect(
        provider,
        request({
          messages: userTurn(prompt),
          tools: [selectCategory],
          toolChoice: "required",
          temperature: 0.8,
          seed: i + 1,
        }),
      );
      expect(orderViolation(events), `prompt ${i + 1}`).toBeUndefined();
      const calls = doneCalls(events);
      expect(calls, `prompt ${i + 1}: ${prompt}`).toHaveLength(1);
      const call = calls[0]!;
      expect(call.name).toBe("select_category");
      expect(call.id).toMatch(/^call_\d+$/);
      const args = JSON.parse(call.arguments) as unknown;
      expect(args, `prompt ${i + 1}`).toBeTypeOf("object");
      expect(CATEGORIES, `prompt ${i + 1}: ${call.arguments}`).toContain(
        (args as { category?: unknown }).category,
      );
      expect(finishOf(events).stopReason).toBe("tool_use");
      expect(events.some((e) => e.type === "text_delta")).toBe(false);
    }
  });

  it("forces schema-valid arguments over the full schemas of two tools", async () => {
    const prompts = [
      "Read lines 10 to 20 of src/app.ts.",
      "Search for 'useEffect' in the src folder.",
      "Open README.md.",
      "Find 'TODO' everywhere.",
      "Show package.json.",
    ];
    const ids = new Set<string>();
    for (const [i, prompt] of prompts.entries()) {
      const events = await collect(
        provider,
        request({
          messages: userTurn(prompt),
          tools: fileTools,
          toolChoice: "required",
          temperature: 0.8,
          seed: i + 1,
          maxOutputTokens: 256,
        }),
      );
      expect(orderViolation(events)).toBeUndefined();
      const calls = doneCalls(events);
      expect(calls).toHaveLength(1);
      const call = calls[0]!;
      ids.add(call.id);
      expect(Object.keys(zodTools)).toContain(call.name);
      const schema = zodTools[call.name as keyof typeof zodTools];
      const parsed = schema.safeParse(JSON.parse(call.arguments));
      expect(
        parsed.success,
        `prompt ${i + 1}: ${call.name} ${call.arguments} ${parsed.error?.message ?? ""}`,
      ).toBe(true);
    }
    expect(ids.size).toBe(prompts.length);
  });

  it("offers tools natively with tool choice auto and keeps the stream contract", async () => {
    const events = await collect(
      provider,
      request({
        messages: userTurn("Read the file package.json."),
        tools: fileTools,
        toolChoice: "auto",
        maxOutputTokens: 64,
        seed: 1,
      }),
    );
    expect(orderViolation(events)).toBeUndefined();
    const finish = finishOf(events);
    const calls = doneCalls(events);
    // Whether the 135M model calls a tool is up to it; if it does, the call is a known tool with JSON arguments.
    for (const call of calls) {
      expect(Object.keys(zodTools)).toContain(call.name);
      expect(JSON.parse(call.arguments)).toBeTypeOf("object");
    }
    expect(finish.stopReason).toBe(calls.length > 0 ? "tool_use" : finish.stopReason);
    if (calls.length === 0) expect(["end_turn", "max_tokens"]).toContain(finish.stopReason);
  });

  it("reuses the KV cache for the unchanged prompt prefix of the next round", async () => {
    await provider.clearCache();
    const first = request({ messages: userTurn("Name one prime number."), maxOutputTokens: 12 });
    const a = await collect(provider, first);
    expect(usageOf(a).cacheReadTokens ?? 0).toBeLessThan(usageOf(a).inputTokens / 2);
    const reply = a.flatMap((e) => (e.type === "text_delta" ? [e.text] : [])).join("");
    const second = request({
      messages: [
        ...first.messages,
        { role: "assistant", content: [{ type: "text", text: reply }] },
        { role: "user", content: [{ type: "text", text: "And another one?" }] },
      ],
      maxOutputTokens: 12,
    });
    const b = await collect(provider, second);
    const usage = usageOf(b);
    expect(usage.inputTokens).toBeGreaterThan(usageOf(a).inputTokens);
    // Everything up to the assistant reply was evaluated already (allow a token of re-tokenisation at the seam).
    expect(usage.cacheReadTokens ?? 0).toBeGreaterThanOrEqual(usageOf(a).inputTokens - 2);
    expect(provider.lastStats?.reusedPromptTokens).toBe(usage.cacheReadTokens);
  });

  it("carries tool calls and results through the history (native function-call rendering)", async () => {
    const messages: Message[] = [
      ...userTurn("What is in notes.txt?"),
      {
        role: "assistant",
        content: [{ type: "tool_call", id: "call_a", name: "fs_read", arguments: '{"path":"notes.txt"}' }],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            toolCallId: "call_a",
            toolName: "fs_read",
            content: "buy milk",
            isError: false,
          },
        ],
      },
    ];
    const events = await collect(provider, request({ messages, tools: fileTools, maxOutputTokens: 24 }));
    expect(orderViolation(events)).toBeUndefined();
    expect(usageOf(events).inputTokens).toBeGreaterThan(0);
  });

  it("aborts mid-stream with an AbortError and stays usable", async () => {
    const controller = new AbortController();
    let deltas = 0;
    const run = async () => {
      for await (const event of provider.stream(
        request({
          messages: userTurn("Count from one to one hundred in words."),
          maxOutputTokens: 200,
          signal: controller.signal,
        }),
      )) {
        if (event.type === "text_delta" && ++deltas === 2) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: "AbortError" });
    expect(deltas).toBeGreaterThanOrEqual(2);
    await expect(
      collect(provider, request({ messages: userTurn("Say hi."), signal: AbortSignal.abort() })),
    ).rejects.toMatchObject({ name: "AbortError" });
    const after = await collect(provider, request({ messages: userTurn("Say hi."), maxOutputTokens: 8 }));
    expect(orderViolation(after)).toBeUndefined();
  });

  it("rejects a prompt larger than the context window before generating", async () => {
    const huge = "lorem ipsum dolor sit amet ".repeat(1200);
    await expect(collect(provider, request({ messages: userTurn(huge) }))).rejects.toThrow(
      /context window is 4096 tokens/,
    );
  });
});

describe("embedded provider model errors", () => {
  it("names the path and the fix for a file that is not GGUF", async () => {
    const path = join(tmpdir(), `owlet-not-a-model-${process.pid}.gguf`);
    await writeFile(path, "version https://git-lfs.github.com/spec/v1\n");
    const provider = new EmbeddedProvider({ modelPath: path });
    await expect(provider.ready()).rejects.toThrow(
      /not a GGUF model file[\s\S]*owlet models pull[\s\S]*--model/,
    );
  });

  it("names the path and the fix for a missing file, from stream() too", async () => {
    const provider = new EmbeddedProvider({ modelPath: "/nonexistent/model.gguf" });
    await expect(collect(provider, request({ messages: userTurn("hi") }))).rejects.toThrow(
      /embedded model not found: \/nonexistent\/model\.gguf[\s\S]*owlet models pull/,
    );
  });
});
