import { describe, expect, it } from "vitest";
import type { Message } from "../message/types.ts";
import type { ProviderRequest } from "../provider/types.ts";
import {
  describeParts,
  measureMessage,
  measureMessageCached,
  measureRequest,
  measureTool,
} from "./measure.ts";
import { randomHistory, rng } from "./random-history.test-support.ts";
import { estimateCounter, type TokenCounter } from "./tokens.ts";

/** One token per character, overheads 4/50: easy to check by hand. */
const perChar: TokenCounter = {
  kind: "model",
  count: (t) => t.length,
  messageOverhead: 4,
  toolCallOverhead: 50,
};

describe("measureRequest", () => {
  it("counts system, tools and history with overheads", () => {
    const tool = { name: "fs_read", description: "Read", inputSchema: { type: "object" } };
    const history: Message[] = [
      { role: "user", content: [{ type: "text", text: "hi" }] },
      { role: "assistant", content: [{ type: "tool_call", id: "1", name: "fs_read", arguments: "{}" }] },
      {
        role: "user",
        content: [
          { type: "tool_result", toolCallId: "1", toolName: "fs_read", content: "abc", isError: false },
        ],
      },
    ];
    const req: ProviderRequest = { model: "m", system: "sys", messages: history, tools: [tool] };
    const parts = measureRequest(req, perChar);
    expect(parts.system).toBe(3 + 4);
    const json = JSON.stringify({ name: "fs_read", description: "Read", parameters: { type: "object" } });
    expect(parts.tools).toBe(json.length + 4);
    expect(measureTool(tool, perChar)).toBe(parts.tools);
    expect(parts.history).toBe(4 + 2 + (4 + 7 + 2 + 50) + (4 + 3 + 4));
    expect(parts.total).toBe(parts.system + parts.tools + parts.history);
  });

  it("parts sum to total on random requests", () => {
    const random = rng(7);
    for (let i = 0; i < 50; i++) {
      const { messages } = randomHistory(random);
      const req: ProviderRequest = { model: "m", system: "s".repeat(i * 10), messages, tools: [] };
      const parts = measureRequest(req, estimateCounter);
      expect(parts.total).toBe(parts.system + parts.tools + parts.history);
      expect(parts.history).toBe(messages.reduce((n, m) => n + measureMessage(m, estimateCounter), 0));
    }
  });

  it("re-counts a cached message whose text changed length", () => {
    const message: Message = { role: "assistant", content: [{ type: "text", text: "abc" }] };
    expect(measureMessageCached(message, perChar)).toBe(7);
    (message.content[0] as { text: string }).text = "abcdef";
    expect(measureMessageCached(message, perChar)).toBe(10);
  });

  it("counts an empty system prompt as zero", () => {
    expect(measureRequest({ model: "m", system: "", messages: [], tools: [] }, perChar)).toEqual({
      system: 0,
      tools: 0,
      history: 0,
      total: 0,
    });
  });
});

describe("describeParts", () => {
  it("prints each part, the total and the window", () => {
    const parts = { system: 57, tools: 312, history: 1024, total: 1393 };
    expect(describeParts(parts)).toBe("tokens: system 57 + tools 312 + history 1024 = 1393");
    expect(describeParts(parts, { kind: "estimate", contextWindow: 4096, outputReserve: 1024 })).toBe(
      "tokens: system 57 + tools 312 + history 1024 = 1393 (estimate); window 4096, 1024 kept for the answer",
    );
  });
});
