/** File-system facts for the sandbox's mounts (see bwrap.ts), and the clean-up of mount points bwrap created. */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProtectedEntry } from "./bwrap.ts";

/**
 * What stays read-only inside a writable workspace: git's hooks and config (a hook or `core.hooksPath` written
 * there would run outside the sandbox at the user's next commit; `.git` itself is made a mount point so it cannot
 * be renamed away and rebuilt) and owlet's own `.owlet/` (its config could raise the next run's permissions).
 */
const PROTECTED: readonly { name: string; kind: "dir" | "file"; children?: typeof PROTECTED }[] = [
  {
    name: ".git",
    kind: "dir",
    children: [
      { name: "hooks", kind: "dir" },
      { name: "config", kind: "file" },
    ],
  },
  { name: ".owlet", kind: "dir" },
];

/**
 * The protected entries of the workspace at `root` as they are now (parents before children): an existing
 * `.git` directory is `writable-dir` with its `hooks` and `config` read-only; a `.git` file (a worktree's) is
 * read-only, and so is a `.git` that is a symbolic link (mounting it writable would make its target writable,
 * wherever it is); a missing entry is mounted over with an empty read-only stand-in (and removed afterwards by
 * {@link removeMountPoints}). Other symlinks are followed, as bwrap follows them when mounting.
 */
export function inspectProtectedPaths(root: string): ProtectedEntry[] {
  const out: ProtectedEntry[] = [];
  const visit = (dir: string, specs: typeof PROTECTED) => {
    for (const spec of specs) {
      const path = join(dir, spec.name);
      const kind = statKind(path);
      if (kind === undefined) {
        out.push({ path, kind: spec.kind === "dir" ? "missing-dir" : "missing-file" });
      } else if (kind === "dir" && spec.children && !isSymlink(path)) {
        out.push({ path, kind: "writable-dir" });
        visit(path, spec.children);
      } else {
        out.push({ path, kind });
      }
    }
  };
  visit(root, PROTECTED);
  return out;
}

/** True when `path` itself is a symbolic link (a linked `.git` is kept read-only whole: its target may be outside). */
function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function statKind(path: string): "dir" | "file" | undefined {
  try {
    return statSync(path).isDirectory() ? "dir" : "file";
  } catch {
    return undefined;
  }
}

/**
 * Removes the empty mount points bwrap created on the host for `missing-*` entries (an empty directory or an
 * empty file); anything the command could not have written (they were read-only) is gone with them. Errors are
 * ignored: a path that is no longer empty or no longer there is left alone.
 */
export function removeMountPoints(entries: readonly ProtectedEntry[]): void {
  for (const entry of [...entries].reverse()) {
    try {
      if (entry.kind === "missing-dir") rmdirSync(entry.path);
      else if (entry.kind === "missing-file" && lstatSync(entry.path).size === 0) unlinkSync(entry.path);
    } catch {
      // not created, or not empty: leave it
    }
  }
}

let made: { emptyDir: string; emptyFile: string } | undefined;

/**
 * An empty directory and an empty file to mount over missing entries: made once per process in the OS temp dir,
 * removed when the process exits.
 */
export function standIns(): { emptyDir: string; emptyFile: string } {
  if (made && existsSync(made.emptyDir) && existsSync(made.emptyFile)) return made;
  const base = mkdtempSync(join(tmpdir(), "owlet-sandbox-"));
  made = { emptyDir: join(base, "empty"), emptyFile: join(base, "empty-file") };
  mkdirSync(made.emptyDir, { mode: 0o555 });
  writeFileSync(made.emptyFile, "", { mode: 0o444 });
  process.once("exit", () => rmSync(base, { recursive: true, force: true }));
  return made;
}

/** Top-level directories hidden behind an empty tmpfs: `/run` (and `/var/run` when it is not a link to it). */
export function maskedDirs(): string[] {
  return ["/run", "/var/run"].filter((dir) => {
    try {
      return lstatSync(dir).isDirectory();
    } catch {
      return false;
    }
  });
}
