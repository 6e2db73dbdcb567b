import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replyEdits, sameCode } from "./reply-edits.ts";

const A =
  "export function add(a, b) {\n  return a - b;\n}\n\nexport function sub(a, b) {\n  return a - b;\n}\n";
const B = "def scale(x):\n    return x * 3\n";

async function workspace(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "owlet-reply-"));
  await writeFile(join(root, "math.js"), A);
  await writeFile(join(root, "scale.py"), B);
  return root;
}

describe("replyEdits", () => {
  it("turns a code block into the smallest unique fs_edit of the file it fits", async () => {
    const root = await workspace();
    const out = await replyEdits(
      "Fixed:\n```js\nexport function add(a, b) {\n  return a + b;\n}\n```",
      ["scale.py", "math.js"],
      root,
    );
    expect(out.kind).toBe("edits");
    if (out.kind !== "edits") return;
    expect(out.edits).toHaveLength(1);
    const edit = out.edits[0]!;
    expect(edit.name).toBe("fs_edit");
    const args = JSON.parse(edit.arguments);
    expect(args.path).toBe("math.js");
    // `return a - b;` alone is not unique in math.js: the edit widens until it is
    expect(A.split(args.old_string)).toHaveLength(2);
    expect(A.replace(args.old_string, args.new_string)).toBe(A.replace("return a - b", "return a + b"));
  });

  it("two blocks for one file make one edit from the original text", async () => {
    const root = await workspace();
    const reply =
      "```js\nexport function add(a, b) {\n  return a + b;\n}\n```\nand\n```js\nexport function sub(a, b) {\n  return a - b - 0;\n}\n```";
    const out = await replyEdits(reply, ["math.js"], root);
    if (out.kind !== "edits") throw new Error(out.reason);
    expect(out.edits).toHaveLength(1);
    const args = JSON.parse(out.edits[0]!.arguments);
    expect(A.replace(args.old_string, args.new_string)).toBe(
      A.replace("return a - b", "return a + b").replace("return a - b;\n}\n", "return a - b - 0;\n}\n"),
    );
  });

  it("says why a reply gave no edit: no code, nowhere to put it, or the same code", async () => {
    const root = await workspace();
    expect(await replyEdits("I think it is fine.", ["math.js"], root)).toMatchObject({ reason: "no_code" });
    expect(await replyEdits("```js\nfunction mul() {\n  return 1;\n}\n```", ["math.js"], root)).toMatchObject(
      {
        reason: "not_placed",
      },
    );
    expect(
      await replyEdits("```python\ndef scale(x):\n    return x * 3\n```", ["scale.py"], root),
    ).toMatchObject({
      reason: "unchanged",
      files: ["scale.py"],
    });
    // a reply that only re-wraps a comment or re-indents is the same code
    const rewrapped = "```js\n/**\n * Adds.\n */\nexport function add(a, b) {\n    return a  -  b;\n}\n```";
    expect(await replyEdits(rewrapped, ["math.js"], root)).toMatchObject({ reason: "unchanged" });
  });

  it("sameCode: comments, blank lines and blank runs do not count; code, strings and operators do", () => {
    expect(sameCode("/** A. */\nf(a + b);\n", "/**\n * A.\n */\n\n  f(a  + b);")).toBe(true);
    expect(sameCode("# note\nx = 1\n", "x = 1  # note moved\n")).toBe(false); // a trailing comment is on a code line
    expect(sameCode("f(a + b);", "f(a - b);")).toBe(false);
    expect(sameCode('s = "a b"', 's = "ab"')).toBe(false);
  });
});
