import path from "node:path";
import { WorkspaceGuard, WorkspacePathError } from "../guard.ts";
import { findSensitiveFile } from "../protected-paths.ts";
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
 * Resolves `p` through the workspace guard (`read` or `write` mode) for `tool`. A path the guard refuses (outside
 * the workspace, starting with `~`, for writes led into a protected path by a symlink or into owlet's own files)
 * becomes an error result with the guard's message; so does a path whose real location a path deny rule refuses
 * (`ctx.pathDenied`, so a symlink cannot evade `secrets/*`) and, for reads, a path that only through a symlink
 * reaches a file holding secrets (`.env`, keys: see findSensitiveFile), which the permission check never saw.
 * Other errors propagate.
 */
export async function resolvePath(
  ctx: ToolContext,
  p: string,
  mode: "read" | "write",
  tool?: string,
): Promise<Resolved> {
  const guard = guardFor(ctx);
  let abs: string;
  try {
    abs = mode === "read" ? await guard.resolveRead(p) : await guard.resolveWrite(p, ctx.protectedDirs);
  } catch (error) {
    if (error instanceof WorkspacePathError) return { ok: false, result: errorResult(error.message) };
    throw error;
  }
  const real = path.relative(guard.root, abs).split(path.sep).join("/");
  const denied = tool === undefined ? undefined : ctx.pathDenied?.(tool, real);
  if (denied) return { ok: false, result: errorResult(`Permission denied for "${p}": ${denied}.`) };
  if (mode === "read") {
    const written = path.posix.normalize(p.split(path.sep).join("/"));
    const secret = findSensitiveFile(real);
    if (secret && !findSensitiveFile(written)) {
      return {
        ok: false,
        result: errorResult(
          `Path "${p}" resolves through a symlink to ${real}, a file that may hold secrets (${secret}). ` +
            `Use "${real}" directly, so the read can be approved.`,
        ),
      };
    }
  }
  return { ok: true, abs, guard };
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
