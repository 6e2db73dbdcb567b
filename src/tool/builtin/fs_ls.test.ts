import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir, testContext } from "../test-helpers.ts";
import { fsLs } from "./fs_ls.ts";

let ws: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: ws, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe("fs_ls", () => {
  it("lists dirs first, with flags, sizes, / and -> target", async () => {
    await writeFile(path.join(ws, "b.txt"), "x".repeat(2048));
    await writeFile(path.join(ws, "a.txt"), "hi");
    await mkdir(path.join(ws, "zdir"));
    await mkdir(path.join(ws, "adir"));
    await symlink("a.txt", path.join(ws, "link"));
    const r = await fsLs.run({}, testContext(ws));
    expect(r.isError).toBeFalsy();
    expect(r.output.split("\n")).toEqual([
      "d     - adir/",
      "d     - zdir/",
      "-    2B a.txt",
      "-  2.0K b.txt",
      "l    5B link -> a.txt",
    ]);
    expect(r.metadata).toEqual({ entries: 5, dirs: 2, files: 2, symlinks: 1 });
  });

  it("lists a subdirectory and notes empty ones", async () => {
    await mkdir(path.join(ws, "sub", "inner"), { recursive: true });
    expect((await fsLs.run({ path: "sub" }, testContext(ws))).output).toBe("d     - inner/");
    expect((await fsLs.run({ path: "sub/inner" }, testContext(ws))).output).toBe("(sub/inner is empty)");
  });

  it("caps the listing at 500 entries with a note", async () => {
    await Promise.all(
      Array.from({ length: 503 }, (_, i) => writeFile(path.join(ws, `f${String(i).padStart(3, "0")}`), "")),
    );
    const out = (await fsLs.run({}, testContext(ws))).output.split("\n");
    expect(out).toHaveLength(501);
    expect(out[500]).toMatch(/^… 3 more entries not shown/);
  });

  it("errors on files, missing paths and paths outside the workspace", async () => {
    await writeFile(path.join(ws, "f.txt"), "");
    expect(await fsLs.run({ path: "f.txt" }, testContext(ws))).toMatchObject({
      isError: true,
      output: expect.stringMatching(/not a directory/),
    });
    expect(await fsLs.run({ path: "nope" }, testContext(ws))).toMatchObject({
      isError: true,
      output: expect.stringMatching(/not found: nope/),
    });
    expect(await fsLs.run({ path: ".." }, testContext(ws))).toMatchObject({
      isError: true,
      output: expect.stringMatching(/outside the workspace/),
    });
  });
});
