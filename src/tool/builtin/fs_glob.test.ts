import { mkdir, symlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir, testContext } from "../test-helpers.ts";
import { fsGlob } from "./fs_glob.ts";

let base: string;
let ws: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: base, cleanup } = await tempDir());
  ws = path.join(base, "ws");
  await mkdir(ws);
});
afterEach(() => cleanup());

async function put(rel: string, mtimeSec?: number): Promise<void> {
  const p = path.join(ws, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, rel);
  if (mtimeSec !== undefined) await utimes(p, mtimeSec, mtimeSec);
}

describe("fs_glob", () => {
  it("matches ** patterns, newest first, skipping hidden dirs, node_modules and .gitignore'd paths", async () => {
    await put("src/old.ts", 1_000_000);
    await put("src/deep/new.ts", 3_000_000);
    await put("src/mid.ts", 2_000_000);
    await put("src/readme.md");
    await put(".git/x.ts");
    await put(".hidden/y.ts");
    await put("node_modules/pkg/z.ts");
    await put("dist/out.ts");
    await put("src/gen/skip.ts");
    await writeFile(path.join(ws, ".gitignore"), "dist/\n");
    await writeFile(path.join(ws, "src", ".gitignore"), "gen/\n");
    const r = await fsGlob.run({ pattern: "**/*.ts" }, testContext(ws));
    expect(r.isError).toBeFalsy();
    expect(r.output.split("\n")).toEqual(["src/deep/new.ts", "src/mid.ts", "src/old.ts"]);
    expect(r.metadata).toEqual({ matches: 3 });
  });

  it("matches relative to path and prints workspace-relative paths", async () => {
    await put("src/a/b.ts");
    await put("lib/c.ts");
    const r = await fsGlob.run({ pattern: "a/*.ts", path: "src" }, testContext(ws));
    expect(r.output).toBe("src/a/b.ts");
    const bare = await fsGlob.run({ pattern: "*.ts" }, testContext(ws));
    expect(bare.output.split("\n").sort()).toEqual(["lib/c.ts", "src/a/b.ts"]);
  });

  it("reports no matches without an error", async () => {
    await put("a.txt");
    const r = await fsGlob.run({ pattern: "*.rs" }, testContext(ws));
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe("No files match *.rs under ..");
  });

  it("caps at 200 results with a note", async () => {
    await Promise.all(Array.from({ length: 205 }, (_, i) => put(`many/f${i}.txt`)));
    const out = (await fsGlob.run({ pattern: "many/*.txt" }, testContext(ws))).output.split("\n");
    expect(out).toHaveLength(201);
    expect(out[200]).toMatch(/^… 5 more matches not shown/);
  });

  it("does not descend into symlinked directories, and refuses outside paths", async () => {
    await mkdir(path.join(base, "outside"));
    await writeFile(path.join(base, "outside", "secret.ts"), "");
    await symlink(path.join(base, "outside"), path.join(ws, "out"));
    expect((await fsGlob.run({ pattern: "**/*.ts" }, testContext(ws))).output).toMatch(/^No files match/);
    expect(await fsGlob.run({ pattern: "*.ts", path: "out" }, testContext(ws))).toMatchObject({
      isError: true,
      output: expect.stringMatching(/outside the workspace/),
    });
    expect(await fsGlob.run({ pattern: "../*" }, testContext(ws))).toMatchObject({
      isError: true,
      output: expect.stringMatching(/must be relative/),
    });
  });

  it("returns an error result for an invalid glob instead of throwing", async () => {
    for (const pattern of ["src/{a,b", "[z-a].ts"]) {
      const r = await fsGlob.run({ pattern }, testContext(ws));
      expect(r.isError, pattern).toBe(true);
      expect(r.output).toMatch(/^Invalid glob ".*" \(.*\)\. Close every \{ and \[/);
    }
  });
});
