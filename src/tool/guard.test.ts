import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PathOutsideWorkspaceError, ProtectedSymlinkError, TildePathError, WorkspaceGuard } from "./guard.ts";
import { tempDir } from "./test-helpers.ts";

let base: string;
let cleanup: () => Promise<void>;
let ws: string;
let outside: string;

beforeEach(async () => {
  ({ dir: base, cleanup } = await tempDir());
  ws = path.join(base, "ws");
  outside = path.join(base, "outside");
  await mkdir(path.join(ws, "src"), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(ws, "src", "a.ts"), "a");
  await writeFile(path.join(outside, "secret.txt"), "s");
});
afterEach(() => cleanup());

describe("WorkspaceGuard", () => {
  it("anchors relative paths to the root and accepts absolute inside paths", async () => {
    const g = new WorkspaceGuard(ws);
    expect(await g.resolveRead("src/a.ts")).toBe(path.join(ws, "src", "a.ts"));
    expect(await g.resolveRead(path.join(ws, "src"))).toBe(path.join(ws, "src"));
    expect(await g.resolveRead(".")).toBe(ws);
    expect(await g.resolveWrite("new/dir/file.txt")).toBe(path.join(ws, "new", "dir", "file.txt"));
  });

  it("realpaths the root itself", async () => {
    await symlink(ws, path.join(base, "wslink"));
    const g = new WorkspaceGuard(path.join(base, "wslink"));
    expect(g.root).toBe(ws);
    expect(await g.resolveRead("src/a.ts")).toBe(path.join(ws, "src", "a.ts"));
  });

  it("rejects .. escapes and absolute outside paths with an actionable message", async () => {
    const g = new WorkspaceGuard(ws);
    await expect(g.resolveRead("../outside/secret.txt")).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(g.resolveRead("src/../../outside")).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(g.resolveWrite("/etc/passwd")).rejects.toThrow(
      /Path "\/etc\/passwd" is outside the workspace/,
    );
    await expect(g.resolveWrite("/etc/passwd")).rejects.toThrow(ws);
    await expect(g.resolveWrite("/etc/passwd")).rejects.toThrow(/Use a path inside the workspace/);
  });

  it("uses a separator boundary: a sibling with the root as prefix is outside", async () => {
    await mkdir(`${ws}-evil`);
    const g = new WorkspaceGuard(ws);
    await expect(g.resolveRead(`${ws}-evil`)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(g.resolveWrite(`${ws}-evil/x`)).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    expect(g.contains(`${ws}-evil`)).toBe(false);
    expect(g.contains(ws)).toBe(true);
  });

  it("follows a file symlink that points outside", async () => {
    await symlink(path.join(outside, "secret.txt"), path.join(ws, "link.txt"));
    const g = new WorkspaceGuard(ws);
    await expect(g.resolveRead("link.txt")).rejects.toThrow(/resolves to ".*outside\/secret.txt"/);
    await expect(g.resolveWrite("link.txt")).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it("follows a directory symlink that points outside, including for a missing leaf", async () => {
    await symlink(outside, path.join(ws, "out"));
    const g = new WorkspaceGuard(ws);
    await expect(g.resolveRead("out/secret.txt")).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(g.resolveWrite("out/new.txt")).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    await expect(g.resolveWrite("out/deep/er/new.txt")).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it("follows a dangling symlink to where it would write", async () => {
    await symlink(path.join(outside, "not-yet.txt"), path.join(ws, "dangling"));
    await symlink("src/later.txt", path.join(ws, "inside-dangling"));
    const g = new WorkspaceGuard(ws);
    await expect(g.resolveWrite("dangling")).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
    expect(await g.resolveWrite("inside-dangling")).toBe(path.join(ws, "src", "later.txt"));
  });

  it("allows symlinks that stay inside", async () => {
    await symlink(path.join(ws, "src"), path.join(ws, "srclink"));
    const g = new WorkspaceGuard(ws);
    expect(await g.resolveRead("srclink/a.ts")).toBe(path.join(ws, "src", "a.ts"));
    expect(await g.resolveWrite("srclink/b.ts")).toBe(path.join(ws, "src", "b.ts"));
  });

  it("throws when the root does not exist", () => {
    expect(() => new WorkspaceGuard(path.join(base, "missing"))).toThrow(/ENOENT/);
  });

  it("refuses ~ paths: there is no home expansion, paths are relative to the workspace", async () => {
    const g = new WorkspaceGuard(ws);
    for (const p of ["~", "~/notes.txt", "~root/.ssh/id_rsa"]) {
      await expect(g.resolveRead(p), p).rejects.toBeInstanceOf(TildePathError);
      await expect(g.resolveWrite(p), p).rejects.toThrow(
        `Path "${p}" starts with ~, which is not expanded here. Use a path relative to the workspace root (e.g. "src/x.ts").`,
      );
    }
    expect(await g.resolveRead("a~/b")).toBe(path.join(ws, "a~", "b"));
  });

  it("refuses writes that a symlink leads into a protected path the path as written does not name", async () => {
    await mkdir(path.join(ws, ".git"));
    await symlink(".git", path.join(ws, "gitdir"));
    await symlink(".git", path.join(ws, ".env"));
    await symlink("src", path.join(ws, "srclink"));
    const g = new WorkspaceGuard(ws);
    await expect(g.resolveWrite("gitdir/config")).rejects.toBeInstanceOf(ProtectedSymlinkError);
    await expect(g.resolveWrite(path.join(ws, "gitdir", "x"))).rejects.toThrow(
      /to \.git\/x, a protected path/,
    );
    await expect(g.resolveWrite(".env/config")).rejects.toThrow(/\(\.git\/\)/); // named .env, writes .git
    expect(await g.resolveWrite(".git/config")).toBe(path.join(ws, ".git", "config"));
    expect(await g.resolveWrite("srclink/a.ts")).toBe(path.join(ws, "src", "a.ts"));
    expect(await g.resolveRead("gitdir/config")).toBe(path.join(ws, ".git", "config")); // reads are not guarded
    expect(g.protectedBySymlink("gitdir/config", path.join(ws, ".git", "config"))).toBe(".git/");
  });
});
