import { execFileSync } from "node:child_process";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir, testContext } from "../test-helpers.ts";
import { fsRead } from "./fs_read.ts";

let base: string;
let ws: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: base, cleanup } = await tempDir());
  ws = path.join(base, "ws");
  await mkdir(ws);
});
afterEach(() => cleanup());

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n") + "\n";

describe("fs_read", () => {
  it("returns cat -n style numbered lines", async () => {
    await writeFile(path.join(ws, "a.txt"), "alpha\n\tbeta\ngamma");
    const r = await fsRead.run({ path: "a.txt" }, testContext(ws));
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe("     1\talpha\n     2\t\tbeta\n     3\tgamma");
    expect(r.metadata).toEqual({ totalLines: 3, firstLine: 1, lastLine: 3 });
  });

  it("pages with offset and limit and says how to continue", async () => {
    await writeFile(path.join(ws, "big.txt"), lines(10));
    const r = await fsRead.run({ path: "big.txt", offset: 3, limit: 4 }, testContext(ws));
    expect(r.output.split("\n")).toEqual([
      "     3\tline 3",
      "     4\tline 4",
      "     5\tline 5",
      "     6\tline 6",
      "… 4 more lines; call again with offset=7",
    ]);
    const tail = await fsRead.run({ path: "big.txt", offset: 9 }, testContext(ws));
    expect(tail.output).toBe("     9\tline 9\n    10\tline 10");
  });

  it("defaults to 2000 lines", async () => {
    await writeFile(path.join(ws, "long.txt"), lines(2100));
    const r = await fsRead.run({ path: "long.txt" }, testContext(ws));
    const out = r.output.split("\n");
    expect(out).toHaveLength(2001);
    expect(out[1999]).toBe("  2000\tline 2000");
    expect(out[2000]).toBe("… 100 more lines; call again with offset=2001");
  });

  it("errors on an offset past the end", async () => {
    await writeFile(path.join(ws, "a.txt"), lines(3));
    const r = await fsRead.run({ path: "a.txt", offset: 5 }, testContext(ws));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/offset 5 is past the end of a.txt, which has 3 lines/);
  });

  it("truncates very long lines with a marker", async () => {
    await writeFile(path.join(ws, "min.js"), "x".repeat(2500));
    const r = await fsRead.run({ path: "min.js" }, testContext(ws));
    expect(r.output).toBe(`     1\t${"x".repeat(2000)}… [line truncated: 500 more chars]`);
  });

  it("refuses FIFOs instead of blocking on them", async () => {
    execFileSync("mkfifo", [path.join(ws, "pipe")]);
    const r = await fsRead.run({ path: "pipe" }, testContext(ws));
    expect(r).toMatchObject({ isError: true, output: expect.stringMatching(/not a regular file/) });
  });

  it("refuses binary files", async () => {
    await writeFile(path.join(ws, "b.bin"), Buffer.from([0x41, 0x00, 0x42]));
    const r = await fsRead.run({ path: "b.bin" }, testContext(ws));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/binary/);
  });

  it("refuses files over maxFileBytes and suggests fs_grep or head/sed", async () => {
    await writeFile(path.join(ws, "huge.txt"), "y".repeat(200));
    const r = await fsRead.run({ path: "huge.txt" }, testContext(ws, { maxFileBytes: 100 }));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/200 bytes, over the 100-byte read limit/);
    expect(r.output).toMatch(/fs_grep/);
    expect(r.output).toMatch(/sed -n|head/);
  });

  it("reports missing files, directories and empty files", async () => {
    await mkdir(path.join(ws, "d"));
    await writeFile(path.join(ws, "empty.txt"), "");
    const missing = await fsRead.run({ path: "nope.txt" }, testContext(ws));
    expect(missing).toMatchObject({
      isError: true,
      output: expect.stringMatching(/File not found: nope.txt/),
    });
    const dir = await fsRead.run({ path: "d" }, testContext(ws));
    expect(dir).toMatchObject({ isError: true, output: expect.stringMatching(/directory.*fs_ls/) });
    const empty = await fsRead.run({ path: "empty.txt" }, testContext(ws));
    expect(empty.isError).toBeFalsy();
    expect(empty.output).toBe("(empty.txt is empty)");
  });

  it("returns an error result for paths outside the workspace, including via symlink", async () => {
    await writeFile(path.join(base, "secret.txt"), "secret");
    await symlink(path.join(base, "secret.txt"), path.join(ws, "s.txt"));
    for (const p of ["../secret.txt", path.join(base, "secret.txt"), "s.txt"]) {
      const r = await fsRead.run({ path: p }, testContext(ws));
      expect(r.isError).toBe(true);
      expect(r.output).toContain(`Path "${p}" is outside the workspace`);
      expect(r.output).not.toContain("secret\n");
    }
  });
});
