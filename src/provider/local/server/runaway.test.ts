import { describe, expect, it } from "vitest";
import { RunawayDetector } from "./runaway.ts";

const free = { forced: false, toolNames: ["fs_read"] };

describe("RunawayDetector", () => {
  it("trips on a run of whitespace after one line of prose (issue 16's 1.5B runaway)", () => {
    const d = new RunawayDetector(free);
    expect(d.feed("Failed to run unittest\n")).toBeUndefined();
    let trip: ReturnType<RunawayDetector["feed"]>;
    let fed = 0;
    while (!trip && fed < 10_000) {
      trip = d.feed(" ".repeat(8) + "\n".repeat(8));
      fed += 16;
    }
    expect(trip?.reason).toBe("whitespace");
    expect(fed).toBeLessThanOrEqual(208);
  });

  it("trips on the same fenced JSON block again and again (longer than the engine's 120-char patterns)", () => {
    const d = new RunawayDetector(free);
    const block =
      '```json\n{"name": "bash", "arguments": {"command": "python3 -m unittest discover -s tests -p test_*.py -v --failfast --buffer --locals"}}\n```\n\n';
    expect(block.length).toBeGreaterThan(120);
    let trip: ReturnType<RunawayDetector["feed"]>;
    for (let i = 0; i < 6 && !trip; i++) trip = d.feed(block);
    expect(trip?.reason).toBe("repeated_block");
  });

  it("does not trip on ordinary code with blank lines and short repeated lines", () => {
    const d = new RunawayDetector(free);
    const code = [
      "def add(a, b):\n    return a + b\n\n\n",
      "def sub(a, b):\n    return a - b\n\n\n",
      "class T:\n    pass\n\n",
      "    }\n  }\n}\n".repeat(3),
      "x = [0, 0, 0, 0, 0, 0, 0, 0]\n",
    ];
    for (const part of code) expect(d.feed(part)).toBeUndefined();
  });

  it("in a forced round, trips on prose that never starts a call, not on a call", () => {
    const prose = new RunawayDetector({ forced: true, toolNames: ["select_category"] });
    let trip: ReturnType<RunawayDetector["feed"]>;
    for (let i = 0; i < 40 && !trip; i++) trip = prose.feed("I think we should look at the tests first. ");
    expect(trip?.reason).toBe("no_call");

    const call = new RunawayDetector({ forced: true, toolNames: ["select_category"] });
    expect(call.feed("Let me pick a category.\n")).toBeUndefined();
    expect(call.feed('{"name": "select_category", "arguments": {"category": "read"}}')).toBeUndefined();
    for (let i = 0; i < 20; i++)
      expect(call.feed(`more words after the call (${i}), still fine. `)).toBeUndefined();
  });
});
