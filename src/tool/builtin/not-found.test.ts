import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testContext } from "../test-helpers.ts";
import type { Tool } from "../types.ts";
import { fsEdit } from "./fs_edit.ts";
import { fsLs } from "./fs_ls.ts";
import { fsRead } from "./fs_read.ts";
import { suggestPaths } from "./not-found.ts";

function workspace(files: string[]): string {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), "owlet-nf-")));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), "x\n");
  }
  return root;
}

const runTool = (tool: Tool<any>, args: unknown, root: string) => tool.run(args, testContext(root));

describe("suggestPaths", () => {
  it("finds the same name in another directory first, then close names", async () => {
    const root = workspace(["src/math.js", "src/maths.js", "lib/path.js", "README.md"]);
    const got = await suggestPaths(root, path.join(root, "math.js"), "file");
    expect(got[0]).toBe("src/math.js");
    expect(got).toContain("src/maths.js");
    expect(got).not.toContain("README.md");
  });

  it("suggests directories for a missing directory", async () => {
    const root = workspace(["utils/a.js", "test/b.js"]);
    expect(await suggestPaths(root, path.join(root, "util"), "dir")).toEqual(["utils/"]);
  });

  it("suggests nothing when nothing is close, and skips ignored files", async () => {
    const root = workspace(["alpha.txt", "build/zeta.js"]);
    writeFileSync(path.join(root, ".gitignore"), "build/\n");
    expect(await suggestPaths(root, path.join(root, "zeta.js"), "file")).toEqual([]);
  });
});

describe("not-found results name close paths", () => {
  it("fs_read of a missing file suggests the file that exists", async () => {
    const root = workspace(["math.js", "test.js"]);
    const r = await runTool(fsRead, { path: "maths.js" }, root);
    expect(r.isError).toBe(true);
    expect(r.output).toContain("math.js");
    expect(r.output).toMatch(/Did you mean/);
  });

  it("fs_ls of a missing directory suggests a close directory", async () => {
    const root = workspace(["src/index.js"]);
    const r = await runTool(fsLs, { path: "scr" }, root);
    expect(r.isError).toBe(true);
    expect(r.output).toContain("src/");
  });

  it("fs_edit of a missing file suggests paths and says fs_write creates files", async () => {
    const root = workspace(["lib/add.js"]);
    const r = await runTool(fsEdit, { path: "add.js", old_string: "a", new_string: "b" }, root);
    expect(r.isError).toBe(true);
    expect(r.output).toContain("lib/add.js");
    expect(r.output).toContain("fs_write");
  });
});
