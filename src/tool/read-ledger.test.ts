import { readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseToolArguments } from "./args.ts";
import { fsEdit } from "./builtin/fs_edit.ts";
import { fsRead } from "./builtin/fs_read.ts";
import { fsWrite } from "./builtin/fs_write.ts";
import { stripLinePrefixes } from "./builtin/line-prefixes.ts";
import { ReadLedger } from "./read-ledger.ts";
import { tempDir, testContext } from "./test-helpers.ts";
import type { ToolContext } from "./types.ts";

let ws: string;
let cleanup: () => Promise<void>;
let ctx: ToolContext;
beforeEach(async () => {
  ({ dir: ws, cleanup } = await tempDir());
  ctx = { ...testContext(ws), reads: new ReadLedger() };
  await writeFile(path.join(ws, "math.js"), "export const add = (a, b) => a - b;\n");
});
afterEach(() => cleanup());

const content = () => readFile(path.join(ws, "math.js"), "utf8");

describe("read before write (ReadLedger)", () => {
  it("fs_edit and fs_write refuse an existing file that was not read, and change nothing", async () => {
    const edit = await fsEdit.run({ path: "math.js", old_string: "a - b", new_string: "a + b" }, ctx);
    expect(edit.isError).toBe(true);
    expect(edit.output).toMatch(/fs_read on math\.js first/);
    const write = await fsWrite.run({ path: "math.js", content: "x" }, ctx);
    expect(write.isError).toBe(true);
    expect(await content()).toBe("export const add = (a, b) => a - b;\n");
  });

  it("after fs_read the edit runs, and a second edit needs no new read", async () => {
    await fsRead.run({ path: "math.js" }, ctx);
    expect(
      (await fsEdit.run({ path: "math.js", old_string: "a - b", new_string: "a + b" }, ctx)).isError,
    ).toBeFalsy();
    expect(
      (await fsEdit.run({ path: "math.js", old_string: "add", new_string: "sum" }, ctx)).isError,
    ).toBeFalsy();
    expect(await content()).toBe("export const sum = (a, b) => a + b;\n");
  });

  it("a file changed by something else since the read must be read again", async () => {
    await fsRead.run({ path: "math.js" }, ctx);
    await writeFile(path.join(ws, "math.js"), "export const add = (a, b) => b - a; // changed elsewhere\n");
    await utimes(path.join(ws, "math.js"), new Date(), new Date(Date.now() + 5000));
    const edit = await fsEdit.run({ path: "math.js", old_string: "b - a", new_string: "a + b" }, ctx);
    expect(edit.isError).toBe(true);
    expect(edit.output).toMatch(/changed since you last read it/);
  });

  it("creating a new file needs no read", async () => {
    expect((await fsWrite.run({ path: "new.js", content: "1\n" }, ctx)).isError).toBeFalsy();
  });

  it("without a ledger (tests, other callers) nothing is enforced", async () => {
    const plain = testContext(ws);
    expect(
      (await fsEdit.run({ path: "math.js", old_string: "a - b", new_string: "a + b" }, plain)).isError,
    ).toBeFalsy();
  });
});

describe("line-number prefixes copied from tool output", () => {
  it("are stripped when every line has the same kind, and only then", () => {
    expect(stripLinePrefixes("     1\tconst a = 1;\n     2\tconst b = 2;\n")).toBe(
      "const a = 1;\nconst b = 2;\n",
    );
    expect(stripLinePrefixes("stats.js:6:const a = 1;\nstats.js:7:return a;")).toBe(
      "const a = 1;\nreturn a;",
    );
    expect(stripLinePrefixes("const a = 1;\n     2\tconst b = 2;")).toBeUndefined();
    expect(stripLinePrefixes("key: value\nurl: http://x:80/")).toBeUndefined();
  });

  it("fs_write writes the code without them; fs_edit matches old text without them", async () => {
    await fsRead.run({ path: "math.js" }, ctx);
    const w = await fsWrite.run(
      { path: "math.js", content: "     1\texport const add = (a, b) => a + b;\n" },
      ctx,
    );
    expect(w.output).toMatch(/prefixes .* removed/);
    expect(await content()).toBe("export const add = (a, b) => a + b;\n");
    const e = await fsEdit.run(
      { path: "math.js", old_string: "     1\texport const add", new_string: "     1\texport const sum" },
      ctx,
    );
    expect(e.isError).toBeFalsy();
    expect(await content()).toBe("export const sum = (a, b) => a + b;\n");
  });
});

describe("null for an optional argument", () => {
  it("means absent; null for a required one is still an error", () => {
    expect(
      parseToolArguments(fsEdit, '{"path":"a","old_string":"x","new_string":"y","replace_all":null}'),
    ).toEqual({
      ok: true,
      args: { path: "a", old_string: "x", new_string: "y" },
    });
    const bad = parseToolArguments(fsEdit, '{"path":null,"old_string":"x","new_string":"y"}');
    expect(bad.ok).toBeFalsy();
  });
});
