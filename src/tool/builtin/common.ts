import { WorkspaceGuard, WorkspacePathError } from "../guard.ts";
import type { ToolContext, ToolOutput } from "../types.ts";
import { notFoundMessage, type PathKind } from "./not-found.ts";

const guards = new Map<string, WorkspaceGuard>();

/** The (cached) guard for `ctx.workspaceRoot`. Throws the fs error if the root does not exist. */
export function guardFor(ctx: ToolContext): WorkspaceGuard {
  let guard = guards.get(ctx.workspaceRoot);
  if (!guard) {
    guard = new WorkspaceGuard(ctx.workspaceRoot);
    guards.set(ctx.workspaceRoot, guard);
  }
  return guard;
}

/** An error result for the model (`isError: true`). */
export function errorResult(output: string, metadata?: Record<string, unknown>): ToolOutput {
  return metadata ? { output, isError: true, metadata } : { output, isError: true };
}

/** A resolved path, or the error result to return when the guard refused it. */
export type Resolved = { ok: true; abs: string; guard: WorkspaceGuard } | { ok: false; result: ToolOutput };

/**
 * Resolves `p` through the workspace guard (`read` or `write` mode). A path the guard refuses (outside the
 * workspace, starting with `~`, or for writes, led into a protected path by a symlink) becomes an error result
 * with the guard's message; other errors propagate.
 */
export async function resolvePath(ctx: ToolContext, p: string, mode: "read" | "write"): Promise<Resolved> {
  const guard = guardFor(ctx);
  try {
    const abs = mode === "read" ? await guard.resolveRead(p) : await guard.resolveWrite(p);
    return { ok: true, abs, guard };
  } catch (error) {
    if (error instanceof WorkspacePathError) return { ok: false, result: errorResult(error.message) };
    throw error;
  }
}

/**
 * A model-facing message for a common fs error (ENOENT, EISDIR, ENOTDIR, EACCES), or undefined
 * for anything else (which the caller should rethrow).
 */
export function fsErrorMessage(error: unknown, shown: string): string | undefined {
  switch ((error as NodeJS.ErrnoException)?.code) {
    case "ENOENT":
      return `File not found: ${shown}. Use fs_ls or fs_glob to find the right path.`;
    case "EISDIR":
      return `${shown} is a directory, not a file. Use fs_ls to list it.`;
    case "ENOTDIR":
      return `A component of ${shown} is a file, not a directory. Check the path with fs_ls.`;
    case "EACCES":
    case "EPERM":
      return `Permission denied: ${shown}.`;
    default:
      return undefined;
  }
}

/**
 * Like {@link fsErrorMessage}, but a missing path (ENOENT) gets {@link notFoundMessage}: "Did you mean …?"
 * with close workspace paths of `kind`. Undefined for errors the caller should rethrow.
 */
export async function fsFailureMessage(
  error: unknown,
  guard: WorkspaceGuard,
  abs: string,
  shown: string,
  kind: PathKind,
): Promise<string | undefined> {
  if ((error as NodeJS.ErrnoException)?.code === "ENOENT")
    return notFoundMessage(guard.root, abs, shown, kind);
  return fsErrorMessage(error, shown);
}

/** Number of lines in `text` (a trailing newline does not start a new line; "" has 0 lines). */
export function countLines(text: string): number {
  if (text === "") return 0;
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n - 1 : n;
}

/** Human-readable size: `812B`, `4.0K`, `1.2M`, `3.4G` (1024-based, as `ls -h`). */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`;
  const units = ["K", "M", "G", "T"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)}${units[unit]}`;
}

/** True when the first 8 KiB of `buf` contain a NUL byte (git's and ripgrep's binary heuristic). */
export function looksBinary(buf: Uint8Array): boolean {
  return buf.subarray(0, 8192).includes(0);
}
