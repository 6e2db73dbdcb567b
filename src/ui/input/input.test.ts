import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  deleteBackward,
  deleteWordBackward,
  EMPTY_EDITOR,
  editorWith,
  insertText,
  moveChar,
  moveLine,
} from "./editor.ts";
import { HISTORY_LIMIT, PromptHistory } from "./history.ts";
import { completePath, expandMentions, mentionAt } from "./mentions.ts";

describe("editor", () => {
  it("inserts, deletes and moves by code point (emoji stay whole)", () => {
    let e = insertText(EMPTY_EDITOR, "a😀b");
    e = moveChar(e, -1);
    e = deleteBackward(e);
    expect(e).toEqual({ text: "ab", cursor: 1 });
    expect(deleteWordBackward(editorWith("git commit -m"))).toEqual({ text: "git commit ", cursor: 11 });
  });

  it("moves between lines keeping the column, and says when it cannot", () => {
    const e = { text: "first\nsecond", cursor: 9 };
    expect(moveLine(e, -1)).toEqual({ text: e.text, cursor: 3 });
    expect(moveLine(e, 1)).toBeUndefined();
    expect(moveLine({ text: e.text, cursor: 2 }, -1)).toBeUndefined();
  });
});

describe("PromptHistory", () => {
  it("walks from the newest, keeps the draft, and is shared through its file", () => {
    const file = join(mkdtempSync(join(tmpdir(), "owlet-hist-")), "state", "history.jsonl");
    const h = new PromptHistory(file);
    h.add("one");
    h.add("two\nlines");
    h.add("two\nlines");
    expect(h.previous("draft")).toBe("two\nlines");
    expect(h.previous("x")).toBe("one");
    expect(h.previous("x")).toBeUndefined();
    expect(h.next()).toBe("two\nlines");
    expect(h.next()).toBe("draft");
    expect(new PromptHistory(file).all()).toEqual(["one", "two\nlines"]);
  });

  it("keeps the newest entries only", () => {
    const file = join(mkdtempSync(join(tmpdir(), "owlet-hist-")), "history.jsonl");
    writeFileSync(
      file,
      Array.from({ length: HISTORY_LIMIT }, (_, i) => `${JSON.stringify(`p${i}`)}\n`).join(""),
    );
    const h = new PromptHistory(file);
    h.add("newest");
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(HISTORY_LIMIT);
    expect(lines.at(-1)).toBe('"newest"');
    expect(lines[0]).toBe('"p1"');
  });
});

describe("@mentions", () => {
  function workspace() {
    const dir = mkdtempSync(join(tmpdir(), "owlet-mention-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "main.ts"), "export const main = 1;\n");
    writeFileSync(join(dir, "src", "maths.ts"), "x\n");
    writeFileSync(join(dir, ".env"), "TOKEN=abc\n");
    writeFileSync(join(dir, "blob.bin"), Buffer.from([0, 1, 2]));
    return dir;
  }

  it("finds the mention at the cursor and completes paths under the workspace", () => {
    const dir = workspace();
    expect(mentionAt(editorWith("look at @src/ma"))).toEqual({ start: 8, query: "src/ma" });
    expect(mentionAt(editorWith("mail me@host"))).toBeUndefined();
    expect(completePath(dir, "src/ma")).toEqual(["src/main.ts", "src/maths.ts"]);
    expect(completePath(dir, "")).toEqual(["blob.bin", "src/"]);
    expect(completePath(dir, "../")).toEqual([]);
  });

  it("attaches named files, and says why others were left out", () => {
    const dir = workspace();
    const out = expandMentions("see @src/main.ts, @.env, @blob.bin and @someone", dir);
    expect(out.attached).toEqual(["src/main.ts"]);
    expect(out.prompt).toContain("Contents of src/main.ts:\n```ts\nexport const main = 1;\n```");
    expect(out.prompt).not.toContain("TOKEN=abc");
    expect(out.skipped.map((s) => s.path)).toEqual([".env", "blob.bin"]);
  });
});
