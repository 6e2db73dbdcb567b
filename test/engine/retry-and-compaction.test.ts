import { afterEach, describe, expect, it } from "vitest";
import { toolResultsMessage, userText } from "../../src/message/build.ts";
import type { Message } from "../../src/message/types.ts";
import { type Harness, startHarness } from "../support/engine-harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("retries", () => {
  it("retries a 429 after the Retry-After delay and succeeds", async () => {
    h = await startHarness({
      script: [{ status: 429, headers: { "retry-after": "1" } }, { text: "ok" }],
      engine: { retryDelaysMs: [5000, 5000, 5000, 5000] },
    });
    const started = Date.now();
    const turn = await h.engine.runTurn("hi");
    const elapsed = Date.now() - started;
    expect(turn.status).toBe("success");
    expect(h.server.requests).toHaveLength(2);
    const retry = h.events.find((e) => e.type === "retry");
    expect(retry).toMatchObject({ type: "retry", attempt: 1, delayMs: 1000 });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(4000);
  });

  it("does not wait for a Retry-After of 30 s or more, and says how long the server asked to wait", async () => {
    h = await startHarness({
      script: [{ status: 429, headers: { "retry-after": "300" } }, { text: "never" }],
    });
    const turn = await h.engine.runTurn("hi");
    expect(turn.status).toBe("provider_error");
    expect(h.server.requests).toHaveLength(1);
    expect(turn.error).toMatch(/5 min/);
  });

  it("gives up after 4 retries of a transient error with a provider_error", async () => {
    h = await startHarness({ script: () => ({ status: 503 }) });
    const turn = await h.engine.runTurn("hi");
    expect(turn.status).toBe("provider_error");
    expect(h.server.requests).toHaveLength(5);
    expect(h.events.filter((e) => e.type === "retry").map((e) => (e as any).delayMs)).toEqual([
      10, 20, 40, 80,
    ]);
  });

  it("does not retry a non-retryable error (llama.cpp tool-call parse failure) and says to use --jinja", async () => {
    h = await startHarness({
      script: [
        {
          status: 500,
          errorBody: { error: { message: "Failed to parse tool call arguments as JSON", code: 500 } },
        },
      ],
    });
    const turn = await h.engine.runTurn("hi");
    expect(turn.status).toBe("provider_error");
    expect(h.server.requests).toHaveLength(1);
    expect(turn.error).toMatch(/--jinja/);
  });
});

describe("413 compaction", () => {
  it("drops the oldest rounds (never splitting a call from its result) and retries once", async () => {
    h = await startHarness({ script: [{ status: 413 }, { text: "fits now" }] });
    const history: Message[] = [];
    for (let i = 0; i < 6; i++) {
      history.push(userText(`question ${i}`));
      history.push({
        role: "assistant",
        content: [{ type: "tool_call", id: `c${i}`, name: "fs_ls", arguments: "{}" }],
      });
      history.push(
        toolResultsMessage([
          {
            type: "tool_result",
            toolCallId: `c${i}`,
            toolName: "fs_ls",
            content: "x".repeat(200),
            isError: false,
          },
        ]),
      );
      history.push({ role: "assistant", content: [{ type: "text", text: `answer ${i}` }] });
    }
    h.engine.history = history;
    const turn = await h.engine.runTurn("final question");
    expect(turn.status).toBe("success");
    expect(h.server.requests).toHaveLength(2);
    const [first, second] = h.server.requests.map((r) => r.body.messages as any[]);
    expect(second!.length).toBeLessThan(first!.length);
    // every tool message answers a tool call of the assistant message right before it
    for (const [i, m] of second!.entries()) {
      if (m.role !== "tool") continue;
      const prev = second!
        .slice(0, i)
        .reverse()
        .find((x) => x.role === "assistant");
      expect(prev?.tool_calls?.map((c: any) => c.id)).toContain(m.tool_call_id);
    }
    expect(JSON.stringify(second!.at(-1))).toContain("final question");
    expect(h.events.some((e) => e.type === "compaction")).toBe(true);
  });
});

describe("stop reasons and limits", () => {
  it("max_tokens continues with a continue message", async () => {
    h = await startHarness({ script: [{ text: "part one", finishReason: "length" }, { text: "part two" }] });
    const turn = await h.engine.runTurn("write a lot");
    expect(turn.status).toBe("success");
    const last = h.server.requests[1]!.body.messages.at(-1);
    expect(last.role).toBe("user");
    expect(JSON.stringify(last.content)).toMatch(/Continue/);
  });

  it("stops at the max-turns safety limit", async () => {
    h = await startHarness({
      script: () => ({ toolCalls: [{ name: "fs_ls", arguments: "{}" }] }),
      engine: { maxTurns: 3 },
    });
    const turn = await h.engine.runTurn("loop forever");
    expect(turn.status).toBe("max_turns");
    expect(turn.rounds).toBe(3);
    expect(h.server.requests).toHaveLength(3);
    expect(turn.error).toMatch(/--max-turns/);
  });
});

describe("stalled streams and failed turns", () => {
  it("a stream that stops sending fails as a transient error after the idle timeout and is retried", async () => {
    h = await startHarness({
      script: [{ text: "never", delayMs: 5_000 }, { text: "second try" }],
      engine: { streamIdleTimeoutMs: 300 },
    });
    const started = Date.now();
    const turn = await h.engine.runTurn("hi");
    expect(turn.status).toBe("success");
    expect(turn.text).toBe("second try");
    expect(Date.now() - started).toBeLessThan(4_000);
    const retry = h.events.find((e) => e.type === "retry") as any;
    expect(retry.reason).toMatch(/no response from the model within/);
  });

  it("a prompt left unanswered by a failed turn is closed before the next prompt, so roles alternate", async () => {
    h = await startHarness({ script: [{ status: 401 }, { text: "ok" }] });
    const first = await h.engine.runTurn("first try");
    expect(first.status).toBe("provider_error");
    await h.engine.runTurn("second try");
    const roles = h.server.requests
      .at(-1)!
      .body.messages.filter((m: any) => m.role !== "system")
      .map((m: any) => m.role);
    expect(roles).toEqual(["user", "assistant", "user"]);
  });

  it("a round cut before the server reported usage still counts estimated tokens", async () => {
    const sentence = "I keep saying the very same thing over and over again here. ";
    h = await startHarness({
      script: [{ text: Array.from({ length: 40 }, () => sentence), usage: undefined }, { text: "done" }],
    });
    const turn = await h.engine.runTurn("go");
    const firstRound = h.events.find((e) => e.type === "usage") as any;
    expect(firstRound.usage.inputTokens).toBeGreaterThan(0);
    expect(firstRound.usage.outputTokens).toBeGreaterThan(0);
    expect(turn.usage.inputTokens).toBeGreaterThan(firstRound.usage.inputTokens);
  });
});
