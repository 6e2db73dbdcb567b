import { realpathSync } from "node:fs";
import { lstat, readlink, realpath } from "node:fs/promises";
import path from "node:path";
import { isOwletStatePath, SENSITIVE_PATTERNS } from "./protected-paths.ts";

/** Base of the errors {@link WorkspaceGuard} throws for a path it refuses; the message is meant for the model. */
export class WorkspacePathError extends Error {}

/** Thrown by {@link WorkspaceGuard} for a path starting with `~` (`~`, `~/x`, `~user/x`): nothing expands it here. */
export class TildePathError extends WorkspacePathError {
  constructor(requested: string) {
    super(
      `Path "${requested}" starts with ~, which is not expanded here. Use a path relative to the workspace root (e.g. "src/x.ts").`,
    );
    this.name = "TildePathError";
  }
}

/**
 * Thrown by {@link WorkspaceGuard.resolveWrite} when symlinks lead a write into a protected path (see
 * protected-paths.ts) that the path as written does not name, so the permission check never saw it.
 */
export class ProtectedSymlinkError extends WorkspacePathError {
  constructor(requested: string, resolved: string, pattern: string) {
    super(
      `Path "${requested}" resolves through a symlink to ${resolved}, a protected path (${pattern}). ` +
        `Use "${resolved}" directly, so the write can be approved.`,
    );
    this.name = "ProtectedSymlinkError";
  }
}

/**
 * Thrown by {@link WorkspaceGuard.resolveWrite} for owlet's own files: `.owlet/` in the workspace (project config,
 * sessions) and the user config directory. No tool may write them, in any mode.
 */
export class OwletConfigWriteError extends WorkspacePathError {
  constructor(requested: string) {
    super(
      `Path "${requested}" is owlet's own configuration or state, which no tool may change. ` +
        "Ask the user to edit it themselves if a change is needed.",
    );
    this.name = "OwletConfigWriteError";
  }
}

/** Thrown by {@link WorkspaceGuard} when a path resolves outside the workspace root. */
export class PathOutsideWorkspaceError extends WorkspacePathError {
  /** The path as given by the caller. */
  readonly requested: string;
  /** Where it resolved to (symlinks followed). */
  readonly resolved: string;
  /** The workspace root. */
  readonly root: string;

  constructor(requested: string, resolved: string, root: string) {
    const via = resolved === path.resolve(root, requested) ? "" : ` (it resolves to "${resolved}")`;
    super(
      `Path "${requested}" is outside the workspace "${root}"${via}. ` +
        "Use a path inside the workspace; relative paths are taken from the workspace root.",
    );
    this.name = "PathOutsideWorkspaceError";
    this.requested = requested;
    this.resolved = resolved;
    this.root = root;
  }
}

/** Most symlinks followed while canonicalising one path (as the kernel's MAXSYMLINKS). */
const MAX_LINKS = 40;

/**
 * Keeps file-tool paths inside the workspace root (as in gnoma's fs.Guard, §4.6).
 * Relative paths anchor to the root; symlinks are resolved; for a path whose leaf (or tail) does
 * not exist yet, the deepest existing ancestor is canonicalised and the missing tail re-joined, so a
 * parent directory that is a symlink to outside is caught. The containment check uses a separator
 * boundary (`/ws-evil` is not inside `/ws`). Dangling symlinks are followed to where they point.
 * Paths starting with `~` are refused ({@link TildePathError}): there is no home expansion, and a write would
 * otherwise create a directory literally named `~`, which a later `rm -rf ~` would turn into deleting the home
 * directory.
 */
export class WorkspaceGuard {
  /** The symlink-resolved absolute workspace root. */
  readonly root: string;

  /** `root` must be an existing directory; it is realpath'd. Throws the fs error (e.g. ENOENT) otherwise. */
  constructor(root: string) {
    this.root = realpathSync(path.resolve(root));
  }

  /**
   * Absolute real path for reading `p`; throws {@link PathOutsideWorkspaceError} or {@link TildePathError}.
   * The path may not exist.
   */
  resolveRead(p: string): Promise<string> {
    return this.#resolve(p);
  }

  /**
   * Absolute real path for writing `p` (missing parents are canonicalised through their deepest
   * existing ancestor); throws {@link PathOutsideWorkspaceError}, {@link TildePathError}, or
   * {@link ProtectedSymlinkError} when symlinks lead it into a protected path (`gitdir/config` with
   * `gitdir → .git`) that `p` itself does not name, or {@link OwletConfigWriteError} when it resolves into `.owlet/`
   * or one of `protectedDirs` (absolute, real: the user config directory).
   */
  async resolveWrite(p: string, protectedDirs: readonly string[] = []): Promise<string> {
    const real = await this.#resolve(p);
    if (isOwletStatePath(path.relative(this.root, real).split(path.sep).join("/")))
      throw new OwletConfigWriteError(p);
    if (
      protectedDirs.some(
        (dir) => real === dir || real.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep),
      )
    )
      throw new OwletConfigWriteError(p);
    const pattern = this.protectedBySymlink(p, real);
    if (pattern) throw new ProtectedSymlinkError(p, this.relative(real), pattern);
    return real;
  }

  /**
   * The protected-path pattern (e.g. `.git/`) that `resolved`, the real path of `requested`, falls under while
   * `requested` as written (normalised, relative to the root) does not; undefined when symlinks added none.
   */
  protectedBySymlink(requested: string, resolved: string): string | undefined {
    const written = path.relative(this.root, path.resolve(this.root, requested));
    const real = this.relative(resolved);
    return SENSITIVE_PATTERNS.find(({ regex }) => regex.test(real) && !regex.test(written))?.name;
  }

  /** True when the absolute `p` is the root or below it. */
  contains(p: string): boolean {
    if (p === this.root) return true;
    const prefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    return p.startsWith(prefix);
  }

  /** `abs` relative to the root for display (`.` for the root itself). */
  relative(abs: string): string {
    const rel = path.relative(this.root, abs);
    return rel === "" ? "." : rel;
  }

  async #resolve(p: string): Promise<string> {
    if (/^~[^/]*(?:\/|$)/.test(p)) throw new TildePathError(p);
    const absolute = path.resolve(this.root, p);
    const real = await canonicalise(absolute, 0);
    if (!this.contains(real)) throw new PathOutsideWorkspaceError(p, real, this.root);
    return real;
  }
}

/** realpath of `p`, tolerating a missing tail: canonical deepest existing ancestor + the missing rest. */
async function canonicalise(p: string, links: number): Promise<string> {
  try {
    return await realpath(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
  }
  // Either `p` itself is a dangling symlink, or some component is missing.
  const stat = await lstat(p).catch(() => undefined);
  if (stat?.isSymbolicLink()) {
    if (links >= MAX_LINKS) throw new Error(`Too many levels of symbolic links resolving "${p}".`);
    const target = await readlink(p);
    return canonicalise(path.resolve(path.dirname(p), target), links + 1);
  }
  const parent = path.dirname(p);
  if (parent === p) return p;
  const realParent = await canonicalise(parent, links);
  return path.join(realParent, path.basename(p));
}
