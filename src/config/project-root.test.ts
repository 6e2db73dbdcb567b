import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { findProjectRoot } from "./project-root.ts";

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
  // No marker up to / (the temp dir has none, assuming / itself has no .git/.owlet).
  expect(findProjectRoot(join(root, "plain", "b"))).toBe(join(root, "plain", "b"));
});
