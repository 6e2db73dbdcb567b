import { describe, expect, it } from "vitest";
import { highlightCode } from "./render/highlight.ts";
import { splitCompleteMarkdown } from "./transcript.ts";

describe("splitCompleteMarkdown", () => {
  it("cuts at the last paragraph break outside a code fence", () => {
    expect(splitCompleteMarkdown("one\n\ntwo\n\nthr")).toEqual(["one\n\ntwo", "thr"]);
    expect(splitCompleteMarkdown("no break yet")).toEqual(["", "no break yet"]);
    expect(splitCompleteMarkdown("text\n\n```js\nconst a = 1;\n\nconst b")).toEqual([
      "text",
      "```js\nconst a = 1;\n\nconst b",
    ]);
    expect(splitCompleteMarkdown("```\ncode\n```\nafter")).toEqual(["```\ncode\n```", "after"]);
  });
});

describe("highlightCode", () => {
  it("colours a known language by token class and keeps the text", () => {
    const segs = highlightCode('const s = "hi"; // note', "ts");
    expect(segs.map((s) => s.text).join("")).toBe('const s = "hi"; // note');
    expect(segs.find((s) => s.text === "const")?.color).toBe("magenta");
    expect(segs.find((s) => s.text === '"hi"')?.color).toBe("green");
    expect(segs.find((s) => s.text.includes("note"))?.dim).toBe(true);
  });

  it("leaves unknown languages and NO_COLOR plain", () => {
    expect(highlightCode("x <y>", "klingon")).toEqual([{ text: "x <y>" }]);
    expect(highlightCode("const a", "ts", false)).toEqual([{ text: "const a" }]);
  });
});
