import { describe, expect, it } from "vitest";
import { BudgetError } from "../context/budget.ts";
import { estimateCounter } from "../context/tokens.ts";
import { userText } from "../message/build.ts";
import type { Message } from "../message/types.ts";
import { promptRoom } from "./compaction.ts";
import { buildRoundRequest, type RoundRequestSource } from "./request-builder.ts";
import type { ArmHandle } from "./routing.ts";

const arm = (contextWindow?: number) =>
  ({ id: "a/m", model: "m", local: true, ...(contextWindow ? { contextWindow } : {}) }) as ArmHandle;

function source(history: Message[], over: Partial<RoundRequestSource> = {}): RoundRequestSource {
  return {
    arm: arm(),
    system: "sys",
    tools: [],
    toolChoice: "auto",
    sampling: { temperature: 0, seed: 7 },
    view: () => ({ messages: history, turnStart: 0 }),
    ...over,
  };
}

describe("buildRoundRequest", () => {
  it("without limits sends the view as it is, with the sampling settings and no context budget", async () => {
    const history = [userText("hi")];
    const built = await buildRoundRequest(source(history), { limits: undefined, counter: estimateCounter });
    expect(built.request).toMatchObject({ model: "m", system: "sys", temperature: 0, seed: 7 });
    expect(built.request.messages).toBe(history);
    expect(built.request.contextBudget).toBeUndefined();
    expect(built.promptTokens).toBeUndefined();
  });

  it("with a window: the output reserve becomes the output limit, the budget goes with the request, old rounds go first", async () => {
    const a = arm(2048);
    const limits = promptRoom(a, undefined, estimateCounter, undefined);
    const old = Array.from({ length: 40 }, (_, i) => userText(`${i} ${"x".repeat(400)}`));
    const prompt = userText("the prompt");
    const built = await buildRoundRequest(
      source([...old, prompt], { arm: a, view: () => ({ messages: [...old, prompt], turnStart: 40 }) }),
      { limits, counter: estimateCounter },
    );
    expect(built.request.maxOutputTokens).toBe(limits.outputReserve);
    expect(built.request.contextBudget).toEqual({
      promptTokens: built.promptTokens!.total,
      outputReserve: limits.outputReserve,
      contextWindow: 2048,
    });
    expect(built.promptTokens!.total).toBeLessThanOrEqual(limits.room);
    expect(built.droppedMessages).toBeGreaterThan(0);
    expect(built.request.messages.at(-1)).toBe(prompt); // this turn's messages are never dropped
  });

  it("summarises first, with the request's size as it would be sent, and builds from the view after it", async () => {
    const a = arm(4096);
    const limits = promptRoom(a, undefined, estimateCounter, undefined);
    let history = [userText("a".repeat(2000)), userText("the prompt")];
    const seen: number[] = [];
    const built = await buildRoundRequest(
      source(history, {
        arm: a,
        view: () => ({ messages: history }),
        summarise: async (parts, room) => {
          seen.push(parts.total, room);
          history = [userText("summary"), history[1]!];
        },
      }),
      { limits, counter: estimateCounter },
    );
    expect(seen[0]).toBeGreaterThan(500);
    expect(seen[1]).toBe(limits.room);
    expect(built.request.messages.map((m) => (m.content[0] as { text: string }).text)).toEqual([
      "summary",
      "the prompt",
    ]);
  });

  it("throws BudgetError when this turn's messages alone do not fit", async () => {
    const a = arm(1024);
    const limits = promptRoom(a, undefined, estimateCounter, undefined);
    const huge = [userText("y".repeat(20_000))];
    await expect(
      buildRoundRequest(source(huge, { arm: a }), { limits, counter: estimateCounter }),
    ).rejects.toBeInstanceOf(BudgetError);
  });
});
