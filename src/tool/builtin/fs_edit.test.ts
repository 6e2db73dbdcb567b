import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir, testContext } from "../test-helpers.ts";
import { fsEdit } from "./fs_edit.ts";

let base: string;
let ws: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: base, cleanup } = await tempDir());
  ws = path.join(base, "ws");
  await mkdir(ws);
});
afterEach(() => cleanup());

const file = () => path.join(ws, "f.ts");
const src = ["l1", "l2", "l3", "l4", "function a() {", "  return 1;", "}", "l8", "l9", "l10", "l11", ""].join(
  "\n",
);

describe("fs_edit", () => {
  it("replaces a unique match and shows a diff excerpt with 3 context lines", async () => {
    await writeFile(file(), src);
    const r = await fsEdit.run(
      { path: "f.ts", old_string: "  return 1;", new_string: "  return 2;\n  // two" },
      testContext(ws),
    );
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe(
      [
        "Edited f.ts: 1 replacement",
        "@@ line 6 @@",
        "  l3",
        "  l4",
        "  function a() {",
        "-   return 1;",
        "+   return 2;",
        "+   // two",
        "  }",
        "  l8",
        "  l9",
      ].join("\n"),
    );
    expect(r.metadata).toEqual({ replacements: 1 });
    expect(await readFile(file(), "utf8")).toBe(src.replace("  return 1;", "  return 2;\n  // two"));
  });

  it("errors when old_string is not found, with the fs_read hint", async () => {
    await writeFile(file(), src);
    const r = await fsEdit.run({ path: "f.ts", old_string: "return 3;", new_string: "x" }, testContext(ws));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/old_string was not found in f.ts/);
    expect(r.output).toMatch(/fs_read.*exact text, whitespace/);
    expect(await readFile(file(), "utf8")).toBe(src);
  });

  it("points at a match that differs only in whitespace", async () => {
    await writeFile(file(), src);
    const r = await fsEdit.run(
      { path: "f.ts", old_string: "function a() {\nreturn 1;", new_string: "x" },
      testContext(ws),
    );
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/Line 5 matches if whitespace is ignored/);
  });

  it("errors on several matches without replace_all, naming count and lines", async () => {
    await writeFile(file(), "x = 1\ny = 2\nx = 1\n");
    const r = await fsEdit.run({ path: "f.ts", old_string: "x = 1", new_string: "x = 9" }, testContext(ws));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/matches 2 times in f.ts \(lines 1, 3\)/);
    expect(r.output).toMatch(/replace_all/);
    expect(await readFile(file(), "utf8")).toBe("x = 1\ny = 2\nx = 1\n");
  });

  it("replaces every match with replace_all", async () => {
    await writeFile(file(), "x = 1\ny = 2\nx = 1\n");
    const r = await fsEdit.run(
      { path: "f.ts", old_string: "x = 1", new_string: "x = 9", replace_all: true },
      testContext(ws),
    );
    expect(r.isError).toBeFalsy();
    expect(r.output).toMatch(/^Edited f.ts: 2 replacements/);
    expect(r.metadata).toEqual({ replacements: 2 });
    expect(await readFile(file(), "utf8")).toBe("x = 9\ny = 2\nx = 9\n");
  });

  it("rejects identical and empty strings, and missing files", async () => {
    await writeFile(file(), src);
    expect(
      await fsEdit.run({ path: "f.ts", old_string: "l1", new_string: "l1" }, testContext(ws)),
    ).toMatchObject({
      isError: true,
      output: expect.stringMatching(/identical/),
    });
    expect(
      await fsEdit.run({ path: "f.ts", old_string: "", new_string: "x" }, testContext(ws)),
    ).toMatchObject({
      isError: true,
      output: expect.stringMatching(/fs_write/),
    });
    expect(
      await fsEdit.run({ path: "nope.ts", old_string: "a", new_string: "b" }, testContext(ws)),
    ).toMatchObject({
      isError: true,
      output: expect.stringMatching(/File not found: nope.ts/),
    });
  });

  it("matches LF old_string in a CRLF file and keeps CRLF", async () => {
    await writeFile(file(), "a\r\nb\r\nc\r\n");
    const r = await fsEdit.run({ path: "f.ts", old_string: "a\nb", new_string: "A\nB" }, testContext(ws));
    expect(r.isError).toBeFalsy();
    expect(await readFile(file(), "utf8")).toBe("A\r\nB\r\nc\r\n");
  });

  it("writes new_string line breaks as CRLF in a CRLF file", async () => {
    await writeFile(file(), "a\r\nb\r\n");
    const r = await fsEdit.run({ path: "f.ts", old_string: "a", new_string: "x\ny" }, testContext(ws));
    expect(r.isError).toBeFalsy();
    expect(await readFile(file(), "utf8")).toBe("x\r\ny\r\nb\r\n");
    await writeFile(file(), "a\nb\n");
    await fsEdit.run({ path: "f.ts", old_string: "a", new_string: "x\ny" }, testContext(ws));
    expect(await readFile(file(), "utf8")).toBe("x\ny\nb\n");
  });

  it("lists at most 10 lines for an ambiguous old_string, quickly, even with many matches", async () => {
    await writeFile(file(), "a\n".repeat(100_000));
    const started = Date.now();
    const r = await fsEdit.run({ path: "f.ts", old_string: "a", new_string: "b" }, testContext(ws));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(
      /^old_string matches 100000 times in f.ts \(lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …\)\. /,
    );
  });

  it("refuses to edit through a symlink to outside", async () => {
    await writeFile(path.join(base, "victim.txt"), "keep");
    await symlink(path.join(base, "victim.txt"), path.join(ws, "v.txt"));
    const r = await fsEdit.run({ path: "v.txt", old_string: "keep", new_string: "gone" }, testContext(ws));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/outside the workspace/);
    expect(await readFile(path.join(base, "victim.txt"), "utf8")).toBe("keep");
  });

  it("answers promptly for a 5 MB file with 100k matches, with the count and a few line numbers", async () => {
    const line = `${"x".repeat(48)}ab\n`; // 51 bytes
    await writeFile(file(), line.repeat(100_000));
    const started = Date.now();
    const r = await fsEdit.run(
      { path: "f.ts", old_string: "ab", new_string: "cd" },
      testContext(ws, { maxFileBytes: 8 * 1024 * 1024 }),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(
      /^old_string matches 100000 times in f.ts \(lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …\)/,
    );
    expect(r.output.length).toBeLessThan(400);
  });

  it("refuses files over the read size limit without changing them", async () => {
    await writeFile(file(), `${"a".repeat(150)}\n`);
    const r = await fsEdit.run(
      { path: "f.ts", old_string: "a", new_string: "b" },
      testContext(ws, { maxFileBytes: 100 }),
    );
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^f.ts is 151 bytes, over the 100-byte edit limit/);
    expect(r.output).toMatch(/bash/);
    expect(await readFile(file(), "utf8")).toBe(`${"a".repeat(150)}\n`);
  });

  it("refuses to edit .git through a symlink that hides it", async () => {
    await mkdir(path.join(ws, ".git"));
    await writeFile(path.join(ws, ".git", "config"), "[core]\n");
    await symlink(".git", path.join(ws, "gitdir"));
    const r = await fsEdit.run(
      { path: "gitdir/config", old_string: "[core]", new_string: "[x]" },
      testContext(ws),
    );
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/resolves through a symlink to \.git\/config, a protected path/);
    expect(await readFile(path.join(ws, ".git", "config"), "utf8")).toBe("[core]\n");
  });
});
