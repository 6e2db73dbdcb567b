import { describe, expect, it } from "vitest";
import { assistantText, toolResultsMessage, userText } from "../message/build.ts";
import type { Message } from "../message/types.ts";
import { chunkItems, currentTaskOf, needsCompaction, planSummary } from "./compaction-plan.ts";
import { dropOldestRoundsCounted } from "./rounds.ts";
import {
  isSummaryMessage,
  SUMMARY_ACK,
  summaryMessages,
  summaryRequestText,
  summaryTextOf,
  transcriptItems,
} from "./summary.ts";
import { estimateCounter } from "./tokens.ts";

function round(i: number, size = 400): Message[] {
  return [
    {
      role: "assistant",
      content: [{ type: "tool_call", id: `c${i}`, name: "fs_read", arguments: `{"path":"f${i}"}` }],
    },
    toolResultsMessage([
      {
        type: "tool_result",
        toolCallId: `c${i}`,
        toolName: "fs_read",
        content: "x".repeat(size),
        isError: false,
      },
    ]),
  ];
}

describe("planSummary", () => {
  it("keeps the latest rounds within the budget and summarises the rest, cutting only between rounds", () => {
    const history = [
      userText("first task"),
      ...round(0),
      assistantText("done 0"),
      userText("second"),
      ...round(1),
      ...round(2),
    ];
    const plan = planSummary(history, { keepTokens: 150, counter: estimateCounter, turnStart: 4 });
    expect(plan).toBeDefined();
    // the last round (assistant call + its result) is kept; the cut is never between a call and its result
    expect(history[plan!.keepFrom]!.role).toBe("assistant");
    expect(plan!.keepFrom).toBe(history.length - 2);
    // the current turn's prompt is in the summarised part, so the plan carries it verbatim
    expect(plan!.prompt).toBe("second");
  });

  it("keeps at least the last round even when it alone is over the budget", () => {
    const history = [userText("task"), ...round(0), ...round(1, 5000)];
    const plan = planSummary(history, { keepTokens: 10, counter: estimateCounter });
    expect(plan!.keepFrom).toBe(3);
  });

  it("has nothing to do when only an earlier summary precedes the kept rounds", () => {
    const history = [...summaryMessages("## Goal\nx", "user"), userText("next"), ...round(0)];
    expect(planSummary(history, { keepTokens: 10_000, counter: estimateCounter })).toBeUndefined();
    expect(planSummary([userText("only")], { keepTokens: 0, counter: estimateCounter })).toBeUndefined();
  });
});

describe("summary messages", () => {
  it("stand for the summary, carry the task when given, and keep roles alternating", () => {
    const [head, ack] = summaryMessages("## Goal\nship it", "user");
    expect(isSummaryMessage(head!)).toBe(true);
    expect(summaryTextOf(head!)).toBe("## Goal\nship it");
    expect(ack).toEqual(assistantText(SUMMARY_ACK));
    const withTask = summaryMessages("## Goal\nship it", "assistant", "fix the bug in a.ts");
    expect(withTask).toHaveLength(1);
    expect(currentTaskOf(withTask[0]!)).toBe("fix the bug in a.ts");
    expect(summaryTextOf(withTask[0]!)).toBe("## Goal\nship it");
  });

  it("an earlier summary is carried into the next summary's transcript; tool output is clipped", () => {
    const history = [
      ...summaryMessages("## Goal\nremember PELICAN-42", "user"),
      userText("go on"),
      ...round(0, 10_000),
    ];
    const items = transcriptItems(history, { maxResultChars: 500 });
    expect(items[0]).toContain("PELICAN-42");
    expect(items.join("\n")).not.toContain(SUMMARY_ACK);
    expect(items.at(-1)!.length).toBeLessThan(700);
    const text = summaryRequestText(items, "previous summary", "the tests");
    expect(text).toMatch(/previous summary/);
    expect(text).toMatch(/Keep in focus: the tests/);
  });
});

describe("chunkItems", () => {
  it("splits into chunks that each fit the budget, clipping an item too big alone", () => {
    const items = ["a".repeat(400), "b".repeat(400), "c".repeat(4000), "d".repeat(40)];
    const chunks = chunkItems(items, 150, estimateCounter);
    for (const chunk of chunks) {
      const tokens = chunk.reduce((n, item) => n + estimateCounter.count(item) + 2, 0);
      expect(tokens).toBeLessThanOrEqual(150);
    }
    expect(chunks.flat().join("")).toContain("d".repeat(40));
    expect(() => chunkItems(items, 4, estimateCounter)).toThrow(RangeError);
  });
});

describe("needsCompaction", () => {
  it("is true only past the threshold of the room", () => {
    expect(needsCompaction(800, 1000, 0.85)).toBe(false);
    expect(needsCompaction(851, 1000, 0.85)).toBe(true);
  });
});

describe("in-turn dropping", () => {
  it("drops the turn's oldest rounds after every earlier turn's, never its prompt or last round", () => {
    const history = [
      userText("old"),
      ...round(0),
      assistantText("a0"),
      userText("task"),
      ...round(1),
      ...round(2),
      ...round(3),
    ];
    const turnStart = 4;
    const one = dropOldestRoundsCounted(history, 3, { turnStart, inTurn: true });
    const kept = JSON.stringify(one.messages);
    expect(kept).not.toContain('"c0"');
    expect(kept).toContain('"task"');
    const all = dropOldestRoundsCounted(history, 99, { turnStart, inTurn: true });
    const ids = all.messages
      .flatMap((m) => m.content)
      .filter((b) => b.type === "tool_call")
      .map((b: any) => b.id);
    expect(ids).toEqual(["c3"]);
    expect(JSON.stringify(all.messages)).toContain('"task"');
    // without inTurn the current turn is never touched
    const off = dropOldestRoundsCounted(history, 99, { turnStart });
    expect(JSON.stringify(off.messages)).toContain('"c1"');
  });
});
