import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ceilingsFromEnv, findProjectRoot } from "./project-root.ts";

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "owlet-root-")));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it("finds the nearest ancestor with .git or .owlet", () => {
  mkdirSync(join(root, "repo", ".git"), { recursive: true });
  mkdirSync(join(root, "repo", "pkg", ".owlet"), { recursive: true });
  mkdirSync(join(root, "repo", "pkg", "src"), { recursive: true });
  mkdirSync(join(root, "repo", "docs"), { recursive: true });
  expect(findProjectRoot(join(root, "repo", "pkg", "src"))).toBe(join(root, "repo", "pkg"));
  expect(findProjectRoot(join(root, "repo", "docs"))).toBe(join(root, "repo"));
  expect(findProjectRoot(join(root, "repo"))).toBe(join(root, "repo"));
});

it("accepts a .git file (worktree) and falls back to cwd", () => {
  mkdirSync(join(root, "wt", "a"), { recursive: true });
  writeFileSync(join(root, "wt", ".git"), "gitdir: /elsewhere\n");
  expect(findProjectRoot(join(root, "wt", "a"))).toBe(join(root, "wt"));
  mkdirSync(join(root, "plain", "b"), { recursive: true });
  // No marker below the ceiling: cwd itself. (Without the ceiling the walk would reach the machine's /tmp and /,
  // whose entries this test does not control: a CI run once found a marker in /tmp mid-run.)
  expect(findProjectRoot(join(root, "plain", "b"), [root])).toBe(join(root, "plain", "b"));
});

it("never examines a ceiling directory or what is above it, as GIT_CEILING_DIRECTORIES", () => {
  mkdirSync(join(root, "outer", ".git"), { recursive: true });
  mkdirSync(join(root, "outer", "inner", "src"), { recursive: true });
  const cwd = join(root, "outer", "inner", "src");
  expect(findProjectRoot(cwd)).toBe(join(root, "outer"));
  expect(findProjectRoot(cwd, [join(root, "outer")])).toBe(cwd);
  expect(findProjectRoot(cwd, [join(root, "outer", "inner")])).toBe(cwd);
  // cwd itself is examined even when it is a ceiling
  expect(findProjectRoot(join(root, "outer"), [join(root, "outer")])).toBe(join(root, "outer"));
  expect(ceilingsFromEnv({ GIT_CEILING_DIRECTORIES: `${root}/a::rel/x:${root}/b` })).toEqual([
    `${root}/a`,
    `${root}/b`,
  ]);
});
