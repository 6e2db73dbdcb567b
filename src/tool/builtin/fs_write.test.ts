import { mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir, testContext } from "../test-helpers.ts";
import { fsWrite } from "./fs_write.ts";

let base: string;
let ws: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir: base, cleanup } = await tempDir());
  ws = path.join(base, "ws");
  await mkdir(ws);
});
afterEach(() => cleanup());

describe("fs_write", () => {
  it("creates parent directories and reports bytes and lines", async () => {
    const r = await fsWrite.run({ path: "a/b/c.txt", content: "one\ntwo\n" }, testContext(ws));
    expect(r).toEqual({
      output: "Created a/b/c.txt (8 bytes, 2 lines)",
      metadata: { bytes: 8, lines: 2, created: true },
    });
    expect(await readFile(path.join(ws, "a/b/c.txt"), "utf8")).toBe("one\ntwo\n");
  });

  it("overwrites an existing file and says so", async () => {
    await writeFile(path.join(ws, "x.txt"), "old");
    const r = await fsWrite.run({ path: "x.txt", content: "é" }, testContext(ws));
    expect(r.output).toBe("Overwrote x.txt (2 bytes, 1 line)");
    expect(await readFile(path.join(ws, "x.txt"), "utf8")).toBe("é");
  });

  it("refuses content over maxFileBytes without writing", async () => {
    const r = await fsWrite.run(
      { path: "big.txt", content: "z".repeat(101) },
      testContext(ws, { maxFileBytes: 100 }),
    );
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/101 bytes, over the 100-byte write limit/);
    await expect(stat(path.join(ws, "big.txt"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses directories", async () => {
    await mkdir(path.join(ws, "d"));
    expect(await fsWrite.run({ path: "d", content: "x" }, testContext(ws))).toMatchObject({ isError: true });
  });

  it("refuses a path ending in / instead of creating a file without the slash", async () => {
    const r = await fsWrite.run({ path: "newdir/", content: "x" }, testContext(ws));
    expect(r).toEqual({
      output: "newdir/ ends with a slash, so it names a directory; give a file path.",
      isError: true,
    });
    await expect(stat(path.join(ws, "newdir"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses a ~ path instead of creating a directory named ~ in the workspace", async () => {
    const r = await fsWrite.run({ path: "~/notes.txt", content: "x" }, testContext(ws));
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(
      /^Path "~\/notes.txt" starts with ~, which is not expanded here\. Use a path relative/,
    );
    await expect(stat(path.join(ws, "~"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses writes outside the workspace, including through a symlinked directory", async () => {
    await mkdir(path.join(base, "outside"));
    await symlink(path.join(base, "outside"), path.join(ws, "out"));
    for (const p of ["../escape.txt", "out/new.txt", "out/deeper/new.txt", path.join(base, "abs.txt")]) {
      const r = await fsWrite.run({ path: p, content: "x" }, testContext(ws));
      expect(r.isError).toBe(true);
      expect(r.output).toContain(`Path "${p}" is outside the workspace`);
    }
    await expect(stat(path.join(base, "outside", "new.txt"))).rejects.toThrow(/ENOENT/);
    await expect(stat(path.join(base, "outside", "deeper"))).rejects.toThrow(/ENOENT/);
    await expect(stat(path.join(base, "escape.txt"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses paths whose last segment is . or ..", async () => {
    await mkdir(path.join(ws, "d"));
    for (const p of ["d/.", "d/..", ".", "new/."]) {
      const r = await fsWrite.run({ path: p, content: "x" }, testContext(ws));
      expect(r.isError, p).toBe(true);
      expect(r.output, p).toMatch(/names a directory; give a file path/);
    }
    await expect(stat(path.join(ws, "new"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses writes into protected paths reached through a symlink, but not plain symlinks", async () => {
    await mkdir(path.join(ws, ".git", "hooks"), { recursive: true });
    await writeFile(path.join(ws, ".git", "config"), "orig");
    await symlink(".git", path.join(ws, "gitdir"));
    await symlink(".git/config", path.join(ws, "cfg"));
    await symlink(path.join(ws, ".git", "hooks"), path.join(ws, "hooks"));
    for (const [p, real] of [
      ["gitdir/config", ".git/config"],
      ["cfg", ".git/config"],
      ["hooks/pre-commit", ".git/hooks/pre-commit"],
    ] as const) {
      const r = await fsWrite.run({ path: p, content: "x" }, testContext(ws));
      expect(r.isError, p).toBe(true);
      expect(r.output, p).toBe(
        `Path "${p}" resolves through a symlink to ${real}, a protected path (.git/). ` +
          `Use "${real}" directly, so the write can be approved.`,
      );
    }
    expect(await readFile(path.join(ws, ".git", "config"), "utf8")).toBe("orig");
    await expect(stat(path.join(ws, ".git", "hooks", "pre-commit"))).rejects.toThrow(/ENOENT/);
    // named directly, the policy has already seen the protected path: the tool does not refuse it again
    expect((await fsWrite.run({ path: ".git/config", content: "new" }, testContext(ws))).isError).toBeFalsy();
    await mkdir(path.join(ws, "src"));
    await symlink("src", path.join(ws, "srclink"));
    expect((await fsWrite.run({ path: "srclink/a.ts", content: "x" }, testContext(ws))).isError).toBeFalsy();
  });
});
