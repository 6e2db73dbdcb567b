import { describe, expect, it } from "vitest";
import type { Message } from "../message/types.ts";
import { randomHistory, rng, structureProblems } from "./random-history.test-support.ts";
import {
  DROP_ACK,
  dropOldestRounds,
  dropOldestRoundsCounted,
  droppableRoundCount,
  droppedNote,
  groupRounds,
  roundRanges,
} from "./rounds.ts";

const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });
const answer = (text: string): Message => ({ role: "assistant", content: [{ type: "text", text }] });
const call = (id: string): Message => ({
  role: "assistant",
  content: [{ type: "tool_call", id, name: "bash", arguments: "{}" }],
});
const result = (id: string): Message => ({
  role: "user",
  content: [{ type: "tool_result", toolCallId: id, toolName: "bash", content: "out", isError: false }],
});

describe("groupRounds", () => {
  it("keeps each call with its results and each prompt alone", () => {
    const h = [user("t1"), call("a"), result("a"), answer("done"), user("t2"), call("b"), result("b")];
    expect(roundRanges(h)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 3 },
      { start: 3, end: 4 },
      { start: 4, end: 5 },
      { start: 5, end: 7 },
    ]);
    expect(groupRounds(h).flat()).toEqual(h);
  });

  it("never cuts between a call and a late result", () => {
    // Result of "a" arrives two messages later: everything between is one round.
    const h = [user("t"), call("a"), answer("thinking"), result("a"), answer("ok")];
    const groups = groupRounds(h);
    expect(groups.map((g) => g.length)).toEqual([1, 3, 1]);
  });

  it("returns no rounds for an empty history", () => {
    expect(groupRounds([])).toEqual([]);
  });
});

describe("dropOldestRounds", () => {
  const h = [user("t1"), call("a"), result("a"), answer("done"), user("t2"), call("b"), result("b")];

  it("drops whole rounds oldest first, with a note and an ack that keep roles alternating", () => {
    const one = dropOldestRoundsCounted(h, 1);
    // Dropped "t1"; the next kept message is an assistant call, so only the user note is needed.
    expect(one.messages[0]).toEqual(user(droppedNote(1)));
    expect(one.messages.slice(1)).toEqual(h.slice(1));
    expect(one.droppedMessages).toBe(1);
    const all = dropOldestRoundsCounted(h, 99);
    expect(all.droppedRounds).toBe(3);
    expect(all.droppedMessages).toBe(4);
    expect(all.messages).toEqual([user(droppedNote(4)), answer(DROP_ACK), ...h.slice(4)]);
    expect(structureProblems(all.messages)).toEqual([]);
  });

  it("never drops the current prompt or anything after it", () => {
    expect(droppableRoundCount(h)).toBe(3);
    const out = dropOldestRounds(h, 99);
    expect(out.slice(-3)).toEqual(h.slice(-3));
    expect(out.at(-3)).toBe(h[4]);
  });

  it("with turnStart keeps the task and drops rounds between it and a later engine note", () => {
    const turn = [
      user("task"),
      call("a"),
      result("a"),
      answer("cut"),
      user("continue"),
      call("b"),
      result("b"),
    ];
    expect(droppableRoundCount(turn, { turnStart: 0 })).toBe(2);
    const out = dropOldestRoundsCounted(turn, 99, { turnStart: 0 });
    expect(out.messages[0]).toBe(turn[0]);
    expect(out.messages).toEqual([turn[0], answer(droppedNote(3)), ...turn.slice(4)]);
    expect(structureProblems(out.messages)).toEqual([]);
    expect(() => dropOldestRounds(turn, 1, { turnStart: 2 })).toThrow(/turnStart 2/);
  });

  it("returns the same array when nothing is dropped", () => {
    expect(dropOldestRounds(h, 0)).toBe(h);
    expect(dropOldestRounds([user("only")], 5)).toEqual([user("only")]);
  });

  it("never splits calls from results and keeps the task, for 300 random histories and drop counts", () => {
    const random = rng(42);
    for (let i = 0; i < 300; i++) {
      const { messages, turnStart, task } = randomHistory(random);
      expect(structureProblems(messages)).toEqual([]);
      const useTurnStart = random() < 0.5;
      const opts = useTurnStart ? { turnStart } : undefined;
      const max = droppableRoundCount(messages, opts);
      const count = Math.floor(random() * (max + 2));
      const out = dropOldestRounds(messages, count, opts);
      expect(structureProblems(out)).toEqual([]);
      if (useTurnStart) expect(out).toContain(task);
      let lastPrompt = messages.length - 1;
      while (
        messages[lastPrompt]!.content.some((b) => b.type === "tool_result") ||
        messages[lastPrompt]!.role !== "user"
      ) {
        lastPrompt--;
      }
      const tail = messages.slice(lastPrompt);
      expect(out.slice(out.length - tail.length)).toEqual(tail);
    }
  });
});
