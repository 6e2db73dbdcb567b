import { describe, expect, it } from "vitest";
import type { Message } from "../message/types.ts";
import { numCtxFor, PROMPT_COUNT_MARGIN } from "../provider/local/ollama-num-ctx.ts";
import type { ProviderRequest, ToolSchema } from "../provider/types.ts";
import { BudgetError, fitToWindow, outputReserveFor, SAFETY_MARGIN, usableWindow } from "./budget.ts";
import { compactPreviousToolResults } from "./compact-results.ts";
import { measureRequest } from "./measure.ts";
import { randomHistory, rng, structureProblems } from "./random-history.test-support.ts";
import { dropOldestRounds } from "./rounds.ts";
import { estimateCounter, type TokenCounter } from "./tokens.ts";

const perChar: TokenCounter = {
  kind: "model",
  count: (t) => t.length,
  messageOverhead: 4,
  toolCallOverhead: 10,
};
const tool: ToolSchema = { name: "fs_read", description: "Read a file", inputSchema: { type: "object" } };
const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });
const request = (messages: Message[], system = "You are owlet."): ProviderRequest => ({
  model: "m",
  system,
  messages,
  tools: [tool],
});

function history(): Message[] {
  const big = "r".repeat(2000);
  return [
    user("first task"),
    {
      role: "assistant",
      content: [{ type: "tool_call", id: "a", name: "fs_read", arguments: '{"path":"a"}' }],
    },
    {
      role: "user",
      content: [{ type: "tool_result", toolCallId: "a", toolName: "fs_read", content: big, isError: false }],
    },
    { role: "assistant", content: [{ type: "text", text: "a".repeat(1500) }] },
    user("second task"),
    {
      role: "assistant",
      content: [{ type: "tool_call", id: "b", name: "fs_read", arguments: '{"path":"b"}' }],
    },
    {
      role: "user",
      content: [{ type: "tool_result", toolCallId: "b", toolName: "fs_read", content: big, isError: false }],
    },
  ];
}

describe("fitToWindow", () => {
  it("returns a request that fits unchanged", () => {
    const req = request(history());
    const out = fitToWindow({ request: req, contextWindow: 100_000, outputReserve: 1000, counter: perChar });
    expect(out.request).toBe(req);
    expect(out.compactedResults).toBe(0);
    expect(out.droppedMessages).toBe(0);
    expect(out.parts).toEqual(measureRequest(req, perChar));
  });

  it("compacts older tool results first, with the stored path", () => {
    const req = request(history());
    const full = measureRequest(req, perChar).total;
    const out = fitToWindow({
      request: req,
      contextWindow: full - 1000,
      outputReserve: 100,
      counter: perChar,
      pathFor: (id) => `/tmp/s/${id}.txt`,
    });
    expect(out.compactedResults).toBe(1);
    expect(out.droppedMessages).toBe(0);
    const compacted = out.request.messages[2]!.content[0]!;
    expect(compacted.type === "tool_result" && compacted.content).toBe(
      "[prior result of fs_read: 2000 chars, saved at /tmp/s/a.txt]",
    );
    // The unanswered result of the current turn stays whole.
    expect(out.request.messages[6]).toBe(req.messages[6]);
    expect(out.parts.total + 100).toBeLessThanOrEqual(full - 1000);
  });

  it("then drops the oldest rounds, keeping the current turn", () => {
    const req = request(history());
    const compactedTotal = measureRequest(
      { ...req, messages: compactPreviousToolResults(req.messages) },
      perChar,
    ).total;
    expect(compactedTotal + 100).toBeGreaterThan(2600);
    const out = fitToWindow({ request: req, contextWindow: 2600, outputReserve: 100, counter: perChar });
    expect(out.droppedMessages).toBeGreaterThan(0);
    expect(out.request.messages.slice(-3)).toEqual(req.messages.slice(-3));
    expect(out.request.messages[0]!.content[0]).toMatchObject({
      type: "text",
      text: expect.stringMatching(/earlier messages? w/),
    });
    expect(structureProblems(out.request.messages)).toEqual([]);
    expect(out.parts).toEqual(measureRequest(out.request, perChar));
    expect(out.parts.total + 100).toBeLessThanOrEqual(2600);
  });

  it("throws BudgetError with the sizes and what to do when the current turn alone is too big", () => {
    const req = request(history(), "s".repeat(500));
    try {
      fitToWindow({ request: req, contextWindow: 1200, outputReserve: 100, counter: perChar });
      expect.unreachable("fitToWindow should throw");
    } catch (error) {
      expect(error).toBeInstanceOf(BudgetError);
      const e = error as BudgetError;
      expect(e.parts.system).toBe(504);
      expect(e.contextWindow).toBe(1200);
      expect(e.message).toContain("system prompt 504");
      expect(e.message).toContain(`tool schemas ${e.parts.tools}`);
      expect(e.message).toContain(`current turn ${e.parts.history}`);
      expect(e.message).toMatch(/--context-window/);
      expect(e.message).toMatch(/two-stage/);
      expect(e.message).toMatch(/shorten the prompt/);
    }
  });

  it("rejects a reserve that leaves no room and a bad window", () => {
    const req = request([user("x")]);
    expect(() =>
      fitToWindow({ request: req, contextWindow: 100, outputReserve: 100, counter: perChar }),
    ).toThrow(RangeError);
    expect(() => fitToWindow({ request: req, contextWindow: 0, outputReserve: 0, counter: perChar })).toThrow(
      /contextWindow/,
    );
  });

  it("keeps a safety margin for estimated counts", () => {
    expect(usableWindow(1000, "model")).toBe(1000);
    expect(usableWindow(1000, "estimate")).toBe(750);
  });

  it("fits or throws BudgetError for 200 random histories and windows, keeping the current task", () => {
    const random = rng(2026);
    let fitted = 0;
    let refused = 0;
    let dropped = 0;
    for (let i = 0; i < 200; i++) {
      const { messages, turnStart, task } = randomHistory(random);
      const counter = random() < 0.5 ? estimateCounter : perChar;
      const req = request(messages, "sys ".repeat(Math.floor(random() * 100)));
      const contextWindow = 256 + Math.floor(random() * 8000);
      const outputReserve = outputReserveFor(contextWindow, random() < 0.5 ? 512 : undefined);
      const useTurnStart = random() < 0.5;
      const input = {
        request: req,
        contextWindow,
        outputReserve,
        counter,
        ...(useTurnStart ? { turnStart } : {}),
      };
      const usable = usableWindow(contextWindow, counter.kind);
      try {
        const out = fitToWindow(input);
        fitted++;
        if (out.droppedMessages > 0) dropped++;
        const measured = measureRequest(out.request, counter);
        expect(out.parts).toEqual(measured);
        expect(measured.total + outputReserve).toBeLessThanOrEqual(usable);
        expect(structureProblems(out.request.messages)).toEqual([]);
        // The task is kept when the engine names the turn start; the last user prompt always.
        const prompts = messages.filter(
          (m) => m.role === "user" && m.content.every((b) => b.type === "text"),
        );
        const mustKeep = useTurnStart ? task : prompts.at(-1)!;
        expect(out.request.messages).toContain(mustKeep);
        expect(out.request.system).toBe(req.system);
        expect(out.request.tools).toBe(req.tools);
      } catch (error) {
        if (!(error instanceof BudgetError)) throw error;
        refused++;
        // The minimal prompt (everything droppable dropped, results compacted) really does not fit.
        const minimal = dropOldestRounds(
          compactPreviousToolResults(messages),
          Number.MAX_SAFE_INTEGER,
          useTurnStart ? { turnStart } : undefined,
        );
        expect(measureRequest({ ...req, messages: minimal }, counter).total + outputReserve).toBeGreaterThan(
          usable,
        );
      }
    }
    // The generator must exercise every path.
    expect(fitted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(5);
    expect(dropped).toBeGreaterThan(5);
  });
});

describe("outputReserveFor", () => {
  it("is min(maxOutput ?? 1024, window / 4)", () => {
    expect(outputReserveFor(2048)).toBe(512);
    expect(outputReserveFor(32_768)).toBe(1024);
    expect(outputReserveFor(32_768, 4096)).toBe(4096);
    expect(outputReserveFor(1000, 100)).toBe(100);
    expect(() => outputReserveFor(0)).toThrow(RangeError);
  });
});

describe("numCtxFor", () => {
  it("rounds prompt (with the margin) plus reserve up to a power of two ≥ 2048, capped by the model", () => {
    expect(numCtxFor(100, 100)).toBe(2048);
    expect(numCtxFor(3000, 1024, undefined, "model")).toBe(4096);
    expect(numCtxFor(3000, 1024)).toBe(8192); // 3000 / 0.75 + 1024 = 5024
    expect(numCtxFor(30_000, 1024, 16_384)).toBe(16_384);
  });
});

describe("count margins", () => {
  it("Ollama's num_ctx pads a prompt count by the budget's own safety margins", () => {
    expect(PROMPT_COUNT_MARGIN).toEqual(SAFETY_MARGIN);
  });
});
