import { describe, expect, it } from "vitest";
import { noPatchTrip, PATCH_INSTRUCTION, patchInstruction, patchRequestText } from "./fix-loop.ts";

describe("fix loop messages", () => {
  const view = {
    prompt: "fix it",
    command: "node --test",
    failure: "10 !== 8",
    files: [
      {
        path: "stats.js",
        text: "/** Sum. */\nexport function sum(a) {\n  return 0;\n}\n\nexport function range(v) {\n  return 1;\n}\n",
      },
    ],
  };

  it("names at most two suspects, then shows one suspect alone, then the other, then round again", () => {
    expect(patchInstruction(new Map()).text).toBe(PATCH_INSTRUCTION);
    const suspects = new Map([
      ["range", "stats.js"],
      ["sum", "stats.js"],
      ["other", "stats.js"],
    ]);
    const asks = [0, 1, 2, 3].map((a) => patchInstruction(suspects, a, ["stats.js"]));
    expect(asks[0]!.text).toContain("range() in stats.js, sum() in stats.js.");
    expect(asks[0]!.text).not.toContain("other()");
    expect(asks[1]!.focus).toEqual({ name: "range", file: "stats.js" });
    expect(asks[2]!.focus).toEqual({ name: "sum", file: "stats.js" });
    expect(asks[3]).toEqual(asks[0]);
    // one suspect: the third attempt asks for the whole file
    expect(patchInstruction(new Map([["range", "stats.js"]]), 2, ["stats.js"]).text).toContain(
      "whole fixed stats.js",
    );
  });

  it("the message is plain text: prompt, failure, fenced code without line numbers, ask; a focused ask shows one function", () => {
    const whole = patchRequestText(view, patchInstruction(new Map([["range", "stats.js"]])));
    expect(whole).toMatch(
      /^fix it\n\n`node --test` fails:\n10 !== 8\n\nstats\.js:\n```javascript\n\/\*\* Sum/,
    );
    expect(whole).toContain("export function range(v)");
    const focused = patchRequestText(
      view,
      patchInstruction(new Map([["sum", "stats.js"]]), 1),
      "Your reply was cut.",
    );
    expect(focused).toContain(
      "stats.js (sum):\n```javascript\n/** Sum. */\nexport function sum(a) {\n  return 0;\n}\n```",
    );
    expect(focused).not.toContain("range");
    expect(
      focused.endsWith(
        "Your reply was cut. The bug is in sum() of stats.js, shown above. Reply with the fixed function, whole, in one code block.",
      ),
    ).toBe(true);
  });

  it("a reply without an edit gets a no_patch trip whose correction says why", () => {
    const unchanged = noPatchTrip("unchanged", ["stats.js"]);
    expect(unchanged.detector).toBe("no_patch");
    expect(unchanged.injection).toContain("stats.js");
    const reasons = ["no_code", "not_placed", "unchanged", "cut"] as const;
    expect(new Set(reasons.map((r) => noPatchTrip(r, []).injection)).size).toBe(4);
  });
});
