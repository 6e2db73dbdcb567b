import { describe, expect, it } from "vitest";
import { workspaceWith } from "../tool/test-helpers.ts";
import {
  candidateLines,
  changeNote,
  FixLoop,
  fixModeFor,
  isCodeFile,
  LADDER_PASSES,
  lineAsk,
  noPatchTrip,
  PATCH_INSTRUCTION,
  PATCH_SAMPLE_TEMPERATURE,
  type PatchAsk,
  patchLadder,
  patchRequestText,
  withoutLineMark,
} from "./fix-loop.ts";

describe("fix loop messages", () => {
  const view = {
    prompt: "fix it",
    command: "node --test",
    failure: "10 !== 8",
    files: [
      {
        path: "stats.js",
        text: "const BASE = 2;\n\n/** Sum. */\nexport function sum(a) {\n  return BASE;\n}\n\nexport function range(v) {\n  return 1;\n}\n",
      },
    ],
  };

  it("climbs distinct rungs: named suspects, a suspect alone, its lines, a reason first, the next suspect, the whole file", () => {
    const suspects = new Map([
      ["range", "stats.js"],
      ["sum", "stats.js"],
      ["other", "stats.js"],
    ]);
    const steps = patchLadder(suspects, ["stats.js"]);
    const shape = steps.map((st) =>
      "line" in st ? `line:${st.line.name}` : st.focus ? `alone:${st.focus.name}` : st.text.slice(0, 24),
    );
    expect(shape).toEqual([
      "The failing tests call r",
      "alone:range",
      "line:range",
      "line:range",
      "line:range",
      "The failing tests call r",
      "alone:sum",
      "line:sum",
      "line:sum",
      "line:sum",
      "Find the bug from the fa",
      "alone:other",
    ]);
    const asks = steps.filter((st): st is PatchAsk => "text" in st);
    expect(asks[0]!.text).toContain("range() in stats.js, sum() in stats.js.");
    expect(asks[0]!.text).not.toContain("other()");
    expect(asks[2]!.text).toContain("which line is wrong");
    expect(asks[4]!.text).toContain("whole fixed stats.js");
    expect(new Set(asks.map((a) => JSON.stringify(a))).size).toBe(asks.length);
    // no suspect: the plain ask, a reason first, the whole file
    const plain = patchLadder(new Map(), ["stats.js"]) as PatchAsk[];
    expect(plain.map((a) => a.focus)).toEqual([undefined, undefined, undefined]);
    expect(plain[0]!.text).toBe(PATCH_INSTRUCTION);
  });

  it("a line rung names one code line of the suspect or what it uses; a number the check shows as actual comes first", () => {
    const files = [
      {
        path: "duration.js",
        text: "const PER_MINUTE = 60;\nconst PER_HOUR = 360;\n\n/** Seconds. */\nexport function toSeconds({ hours = 0, minutes = 0 }) {\n  // the sum\n  return hours * PER_HOUR + minutes * PER_MINUTE;\n}\n\nexport const add = (a, b) => a - b;\n",
      },
    ];
    const s = { name: "toSeconds", file: "duration.js" };
    expect(candidateLines(files, s, "  360 !== 3600\n")).toEqual([
      "const PER_HOUR = 360;",
      "return hours * PER_HOUR + minutes * PER_MINUTE;",
      "const PER_MINUTE = 60;",
    ]);
    expect(candidateLines(files, s, "")[0]).toBe("return hours * PER_HOUR + minutes * PER_MINUTE;");
    // a one-line arrow function is its own bug line
    expect(candidateLines(files, { name: "add", file: "duration.js" }, "")).toEqual([
      "export const add = (a, b) => a - b;",
    ]);
    const marked = patchRequestText(
      { prompt: "fix", command: "node --test", failure: "360 !== 3600", files },
      lineAsk(s, "const PER_HOUR = 360;"),
    );
    expect(marked).toContain("const PER_HOUR = 360; // <- this line is wrong\n");
    expect(marked).toMatch(/Reply with that line, fixed, in one code block\.$/);
    expect(withoutLineMark("```js\nconst PER_HOUR = 3600; // <- this line is wrong\n```")).toBe(
      "```js\nconst PER_HOUR = 3600;\n```",
    );
  });

  it("an implement task asks for the whole file, then a reason first, then the functions the tests call", () => {
    const asks = patchLadder(new Map([["age", "space-age.js"]]), ["space-age.js"], "implement") as PatchAsk[];
    expect(asks.map((a) => a.focus)).toEqual([undefined, undefined, undefined]);
    expect(asks[0]!.text).toContain("Reply with the whole space-age.js");
    expect(asks[1]!.text).toContain("what the tests above expect");
    expect(asks[2]!.text).toContain("age()");
    expect(fixModeFor("Implement the age function in space-age.js", "")).toBe("implement");
    expect(fixModeFor("rle.js only has stubs", "")).toBe("implement");
    expect(fixModeFor("the tests fail", "Error: Remove this statement and implement this function")).toBe(
      "implement",
    );
    expect(fixModeFor("the tests fail", "NotImplementedError")).toBe("implement");
    expect(fixModeFor("The tests fail. Fix the add function.", "1 !== 3")).toBe("fix");
    expect(["a.js", "b.py", "c.ts", "d.go"].every(isCodeFile)).toBe(true);
    expect([".docs/instructions.md", "package.json", "notes.txt"].some(isCodeFile)).toBe(false);
  });

  it("the message is plain text: prompt, failure, fenced code without line numbers, tried changes, ask", () => {
    const whole = patchLadder(new Map([["range", "stats.js"]]), ["stats.js"])[0] as PatchAsk;
    const text = patchRequestText(view, whole);
    expect(text).toMatch(
      /^fix it\n\n`node --test` fails:\n10 !== 8\n\nstats\.js:\n```javascript\nconst BASE/,
    );
    expect(text).toContain("export function range(v)");
    const tried = patchRequestText(view, whole, {
      correction: "Your reply was cut.",
      tried: ["changing `return 1;` to `return 2;` in stats.js"],
    });
    expect(tried).toContain(
      "Already tried, and the check still failed, so these were undone:\n- changing `return 1;` to `return 2;` in stats.js\n\nYour reply was cut. The failing tests call",
    );
  });

  it("a focused ask shows the function with the definitions it uses, not the rest of the file", () => {
    const focused = patchRequestText(view, { text: "fix sum", focus: { name: "sum", file: "stats.js" } });
    expect(focused).toContain(
      "stats.js (sum):\n```javascript\nconst BASE = 2;\n\n/** Sum. */\nexport function sum(a) {\n  return BASE;\n}\n```",
    );
    expect(focused).not.toContain("range");
  });

  it("names a change by its first differing line", () => {
    expect(changeNote("a\n  return x - 1;\nb\n", "a\n  return x + 1;\nb\n")).toBe(
      "changing `return x - 1;` to `return x + 1;`",
    );
    expect(changeNote("a\nb\n", "a\n  if (!x) return;\nb\n")).toBe("adding `if (!x) return;`");
    expect(changeNote("a\nb\n", "a\nb\n")).toBeUndefined();
    // a line kept between changed comment lines is not part of the change
    expect(
      changeNote("/** A. */\nconst x = 1;\n/** B. */\n", "/**\n * A.\n */\nconst x = 1;\n/**\n * B.\n */\n"),
    ).toBe("changing `/** A. */` to `/**`");
  });

  it("a reply without an edit gets a no_patch trip whose correction says why", () => {
    const unchanged = noPatchTrip("unchanged", ["stats.js"]);
    expect(unchanged.detector).toBe("no_patch");
    expect(unchanged.injection).toContain("stats.js");
    const reasons = ["no_code", "not_placed", "unchanged", "cut", "tried"] as const;
    expect(new Set(reasons.map((r) => noPatchTrip(r, []).injection)).size).toBe(5);
  });
});

describe("FixLoop", () => {
  it("judges a patch by the failing count, undoes one that did not help and names it as tried", async () => {
    const root = await workspaceWith({
      "stats.js": "export function range(v) {\n  return 1;\n}\n",
      "stats.test.js": 'import { range } from "./stats.js";\ntest("range", () => range([1]));\n',
    });
    const loop = new FixLoop({
      command: "node --test",
      files: ["stats.js"],
      prompt: "fix",
      workspaceRoot: root,
    });
    await loop.rebase("✖ range (1ms)\nℹ pass 1\nℹ fail 2\n");
    expect(loop.nextAsk()).toBeDefined();
    expect(loop.judge("ℹ fail 2\n", false)).toBe("not_better");
    expect(loop.judge("ℹ fail 1\n", false)).toBe("better");
    expect(loop.judge("no counts here", false)).toBe("not_better");
    expect(loop.judge("ℹ fail 0\n", true)).toBe("pass");
    const restore = loop.undo([{ path: "stats.js", text: "export function range(v) {\n  return 2;\n}\n" }]);
    expect(restore).toEqual([{ path: "stats.js", text: "export function range(v) {\n  return 1;\n}\n" }]);
    expect(loop.requestText()).toContain("- changing `return 1;` to `return 2;` in stats.js");
    // an edit is checked once per base
    expect(loop.alreadyChecked(["e1"])).toBe(false);
    loop.markChecked(["e1"]);
    expect(loop.alreadyChecked(["e1"])).toBe(true);
    await loop.rebase("ℹ fail 1\n");
    expect(loop.alreadyChecked(["e1"])).toBe(false);
    expect(loop.requestText()).not.toContain("Already tried");
  });

  it("shows an implement task's context files (tests, instructions) before the code, cut when long", async () => {
    const long = Array.from({ length: 200 }, (_, i) => `// line ${i}`).join("\n");
    const root = await workspaceWith({
      "rle.js": "export const encode = () => {\n  throw new Error('implement this function');\n};\n",
      "rle.test.js": long,
    });
    const loop = new FixLoop({
      command: "npm test",
      files: ["rle.js"],
      context: ["rle.test.js"],
      mode: "implement",
      prompt: "rle.js only has stubs",
      workspaceRoot: root,
    });
    await loop.rebase("ℹ fail 2\n");
    const text = loop.requestText();
    expect(text.indexOf("rle.test.js:")).toBeLessThan(text.indexOf("rle.js:"));
    expect(text).toContain("// line 149\n… 50 more lines");
    expect(text).not.toContain("// line 150");
    expect(text).toContain("Reply with the whole rle.js");
    // progress starts the ladder again
    loop.climb();
    loop.climb();
    await loop.progress("ℹ fail 1\n");
    expect(loop.requestText()).toContain("Reply with the whole rle.js");
    expect(loop.attempts).toBe(2);
  });

  it("the ladder ends after its second, sampled pass", async () => {
    const root = await workspaceWith({ "a.js": "export function f() {\n  return 1;\n}\n" });
    const loop = new FixLoop({ command: "node --test", files: ["a.js"], prompt: "fix", workspaceRoot: root });
    await loop.rebase("ℹ fail 1\n");
    const rungs = patchLadder(new Map(), ["a.js"]).length;
    const sampled: boolean[] = [];
    while (loop.nextAsk()) {
      sampled.push(loop.sampling(5) !== undefined);
      loop.climb();
    }
    expect(sampled).toEqual([...Array(rungs).fill(false), ...Array(rungs).fill(true)]);
    expect(loop.attempts).toBe(LADDER_PASSES * rungs);
    expect(loop.sampling(5)).toEqual({ temperature: PATCH_SAMPLE_TEMPERATURE, seed: 5 + 2 * rungs });
  });

  it("a patch that lowers the failing count by breaking the test file's load is not progress", async () => {
    const root = await workspaceWith({ "a.js": "export function f() {\n  return 1;\n}\n" });
    const loop = new FixLoop({ command: "node --test", files: ["a.js"], prompt: "fix", workspaceRoot: root });
    await loop.rebase("ℹ tests 3\nℹ pass 1\nℹ fail 2\n");
    expect(loop.judge("ℹ tests 1\nℹ pass 0\nℹ fail 1\n", false)).toBe("not_better");
    expect(loop.judge("ℹ tests 3\nℹ pass 2\nℹ fail 1\n", false)).toBe("better");
  });
});
