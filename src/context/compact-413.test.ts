import { describe, expect, it } from "vitest";
import type { Message } from "../message/types.ts";
import { compactForTooLarge } from "./compact-413.ts";
import { randomHistory, rng, structureProblems } from "./random-history.test-support.ts";
import { droppableRoundCount } from "./rounds.ts";

const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });
const answer = (text: string): Message => ({ role: "assistant", content: [{ type: "text", text }] });

describe("compactForTooLarge", () => {
  it("drops about the oldest half of the droppable rounds", () => {
    const h = [user("t1"), answer("a1"), user("t2"), answer("a2"), user("t3"), answer("a3"), user("t4")];
    expect(droppableRoundCount(h)).toBe(6);
    const out = compactForTooLarge(h)!;
    // 3 rounds dropped (t1, a1, t2); next kept is an assistant, so a single user note goes first.
    expect(out).toEqual([user("[3 earlier messages were dropped to fit the context window]"), ...h.slice(3)]);
  });

  it("returns undefined when nothing can be dropped or compacted", () => {
    expect(compactForTooLarge([user("only the task")])).toBeUndefined();
    expect(compactForTooLarge([])).toBeUndefined();
  });

  it("keeps structure and the current prompt on random histories", () => {
    const random = rng(413);
    for (let i = 0; i < 200; i++) {
      const { messages, turnStart, task } = randomHistory(random);
      const out = compactForTooLarge(messages, { turnStart });
      if (!out) continue;
      expect(structureProblems(out)).toEqual([]);
      expect(out).toContain(task);
      expect(JSON.stringify(out).length).toBeLessThan(JSON.stringify(messages).length + 200);
    }
  });
});
