import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Entries whose presence marks a project root (`.git` may be a directory or, in worktrees, a file). */
export const PROJECT_ROOT_MARKERS = [".git", ".owlet"] as const;

/**
 * The project root for `cwd`: the nearest ancestor (cwd included) that contains `.git` or `.owlet`, else `cwd`
 * itself. Returned as an absolute path. Like gnoma's project root (§6.4), minus `go.mod`.
 */
export function findProjectRoot(cwd: string): string {
  const start = resolve(cwd);
  let dir = start;
  for (;;) {
    if (PROJECT_ROOT_MARKERS.some((marker) => existsSync(join(dir, marker)))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}
