import { chmod, lstat, mkdir, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { WorkspaceGuard } from "../guard.ts";
import { isOwletStatePath } from "../protected-paths.ts";
import type { FileChange } from "./recorder.ts";
import type { ShadowRepo } from "./shadow-repo.ts";

/** What undo did to one file. */
export interface RestoredFile {
  path: string;
  /** `restored` (written back), `deleted` (it did not exist before), `skipped` (with `reason`). */
  action: "restored" | "deleted" | "skipped";
  reason?: string;
}

/**
 * The state to restore per file for undoing every turn from `fromTurn` on: the earliest recorded change of each
 * path among those turns (its content before the first change), in the order first changed.
 */
export function changesToUndo(changes: readonly FileChange[], fromTurn: number): FileChange[] {
  const first = new Map<string, FileChange>();
  for (const c of changes) if (c.turn >= fromTurn && !first.has(c.path)) first.set(c.path, c);
  return [...first.values()];
}

/** True for a path undo may write: relative, no `..`, not inside `.git/` or owlet's `.owlet/`. */
function restorable(rel: string): boolean {
  if (rel === "" || rel.startsWith("/") || rel.split("/").some((s) => s === ".." || s === "")) return false;
  return !rel.startsWith(".git/") && rel !== ".git" && !isOwletStatePath(rel);
}

/**
 * Puts every file of `changes` back as it was before (see changesToUndo): its stored bytes and mode (a symlink as
 * a symlink), or deleted when it did not exist. Writes only inside the workspace: a path outside it, inside
 * `.git/` or `.owlet/`, or whose parent resolves outside the workspace through a symlink is skipped; a symlink
 * now at the path is replaced, never written through. Never throws for one file: a failure is a `skipped` entry.
 */
export async function restoreFiles(
  changes: readonly FileChange[],
  repo: ShadowRepo,
): Promise<RestoredFile[]> {
  const guard = new WorkspaceGuard(repo.workTree);
  const out: RestoredFile[] = [];
  for (const change of changes) {
    const rel = change.path;
    if (!restorable(rel)) {
      out.push({ path: rel, action: "skipped", reason: "not a workspace file owlet may write" });
      continue;
    }
    try {
      const parent = await guard.resolveWrite(dirname(rel) === "." ? "." : dirname(rel));
      const target = join(parent, basename(rel));
      const now = await lstat(target).catch(() => undefined);
      if (change.before === null) {
        if (now && !now.isDirectory()) await unlink(target);
        else if (now?.isDirectory()) await rm(target, { recursive: true });
        out.push({ path: rel, action: "deleted" });
        continue;
      }
      const bytes = await repo.readBlob(change.before);
      await mkdir(parent, { recursive: true });
      if (now && (now.isSymbolicLink() || now.isDirectory() || change.mode === "120000")) {
        await rm(target, { recursive: true, force: true });
      }
      if (change.mode === "120000") await symlink(bytes.toString("utf8"), target);
      else {
        const existed = now?.isFile() === true;
        await writeFile(target, bytes);
        // A file that is still there keeps its permissions unless its executable bit changed.
        const executable = change.mode === "100755";
        if (!existed || ((now!.mode & 0o111) !== 0) !== executable)
          await chmod(target, executable ? 0o755 : 0o644);
      }
      out.push({ path: rel, action: "restored" });
    } catch (err) {
      out.push({ path: rel, action: "skipped", reason: (err as Error).message });
    }
  }
  return out;
}
