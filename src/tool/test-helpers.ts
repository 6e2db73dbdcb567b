import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ToolContext, ToolLimits } from "./types.ts";

/** Test-only: a fresh real temp directory (realpath'd) and a cleanup function. */
export async function tempDir(
  prefix = "owlet-tool-",
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), prefix)));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Test-only: a fresh temp workspace holding `files` (relative path → text), parent folders created. */
export async function workspaceWith(files: Record<string, string>, prefix = "owlet-ws-"): Promise<string> {
  const { dir } = await tempDir(prefix);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

/** Test-only: a ToolContext rooted at `root` with small limits unless overridden. */
export function testContext(
  root: string,
  limits: Partial<ToolLimits> = {},
  signal?: AbortSignal,
): ToolContext {
  return {
    workspaceRoot: root,
    signal: signal ?? new AbortController().signal,
    limits: {
      maxFileBytes: 1024 * 1024,
      bashTimeoutSec: 30,
      maxBashTimeoutSec: 600,
      maxOutputBytes: 64 * 1024,
      ...limits,
    },
  };
}
