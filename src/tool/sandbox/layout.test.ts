import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { tempDir } from "../test-helpers.ts";
import { inspectProtectedPaths } from "./layout.ts";

let ws: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: ws, cleanup } = await tempDir()));
afterEach(() => cleanup());

it("protects an existing .git's hooks and config and stands in for what is missing", () => {
  mkdirSync(`${ws}/.git/hooks`, { recursive: true });
  writeFileSync(`${ws}/.git/config`, "");
  expect(inspectProtectedPaths(ws)).toEqual([
    { path: `${ws}/.git`, kind: "writable-dir" },
    { path: `${ws}/.git/hooks`, kind: "dir" },
    { path: `${ws}/.git/config`, kind: "file" },
    { path: `${ws}/.owlet`, kind: "missing-dir" },
  ]);
});

it("keeps a worktree's .git file read-only and a missing .git uncreatable", () => {
  writeFileSync(`${ws}/.git`, "gitdir: /elsewhere\n");
  mkdirSync(`${ws}/.owlet`);
  expect(inspectProtectedPaths(ws)).toEqual([
    { path: `${ws}/.git`, kind: "file" },
    { path: `${ws}/.owlet`, kind: "dir" },
  ]);
});

it("keeps a symlinked .git read-only whole (its target may be outside the workspace)", () => {
  const elsewhere = mkdtempSync(join(tmpdir(), "owlet-elsewhere-"));
  try {
    mkdirSync(`${elsewhere}/hooks`);
    symlinkSync(elsewhere, `${ws}/.git`);
    expect(inspectProtectedPaths(ws)[0]).toEqual({ path: `${ws}/.git`, kind: "dir" });
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});
