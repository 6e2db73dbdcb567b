import { existsSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";

/** Entries whose presence marks a project root (`.git` may be a directory or, in worktrees, a file). */
export const PROJECT_ROOT_MARKERS = [".git", ".owlet"] as const;

/**
 * The project root for `cwd`: the nearest ancestor (cwd included) that contains `.git` or `.owlet`, else `cwd`
 * itself. Returned as an absolute path. Like gnoma's project root (§6.4), minus `go.mod`.
 *
 * `ceilings` (absolute paths) are directories the search does not go up into, as git's
 * `GIT_CEILING_DIRECTORIES`: a ceiling itself and everything above it are never examined (`cwd` always is).
 * See {@link ceilingsFromEnv}.
 */
export function findProjectRoot(cwd: string, ceilings: readonly string[] = []): string {
  const start = resolve(cwd);
  const stops = new Set(ceilings.map((c) => resolve(c)));
  let dir = start;
  for (;;) {
    if (PROJECT_ROOT_MARKERS.some((marker) => existsSync(join(dir, marker)))) return dir;
    const parent = dirname(dir);
    if (parent === dir || stops.has(parent)) return start;
    dir = parent;
  }
}

/**
 * The ceiling directories of `GIT_CEILING_DIRECTORIES` in `env` (the platform's path delimiter between them;
 * empty and relative entries ignored, as git ignores them), so owlet finds the project root where git finds the
 * repository.
 */
export function ceilingsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.GIT_CEILING_DIRECTORIES ?? "").split(delimiter).filter((p) => p !== "" && isAbsolute(p));
}
