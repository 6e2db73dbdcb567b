/** Undo: put back the files a turn's tool calls changed and cut the conversation back to before that turn. */
import { lstatSync } from "node:fs";
import { join } from "node:path";
import type { Session } from "../session/index.ts";
import { changesToUndo, type RestoredFile, restoreFiles } from "../tool/checkpoints/restore.ts";
import { ShadowRepo } from "../tool/checkpoints/shadow-repo.ts";

/** What {@link undoTurn} did: the turn undone (and every later one), its prompt, and each file's outcome. */
export interface UndoResult {
  turn: number;
  /** Turns removed from the conversation: `turn` and every later one. */
  turnsRemoved: number;
  prompt: string;
  files: RestoredFile[];
}

/** The shadow repository holding a project's checkpoints: `<projectRoot>/.owlet/checkpoints`. */
export function checkpointsDir(projectRoot: string): string {
  return join(projectRoot, ".owlet", "checkpoints");
}

/**
 * The checkpoint store of a workspace, or undefined when `.owlet/checkpoints` is a symlink (a repository could
 * point it anywhere; checkpoints are then off, and the caller says so).
 */
export function checkpointRepo(projectRoot: string, workspace: string): ShadowRepo | undefined {
  const dir = checkpointsDir(projectRoot);
  try {
    if (lstatSync(dir).isSymbolicLink()) return undefined;
  } catch {
    // not created yet
  }
  return new ShadowRepo(dir, workspace);
}

/**
 * Undoes turn `turn` (default the last) of `session` and every turn after it: each file a tool call of those
 * turns changed is restored from the checkpoint store as it was before the first change (deleted when it did not
 * exist), then the session is truncated to before the turn (its messages, usage, summaries and change records
 * go). Files nobody recorded are never touched. Throws an Error when the session has no such turn, or when
 * `.owlet/checkpoints` is a symlink.
 */
export async function undoTurn(session: Session, projectRoot: string, turn?: number): Promise<UndoResult> {
  const turns = session.turns();
  if (turns.length === 0) throw new Error(`session ${session.id} has no turns to undo`);
  const n = turn ?? turns.at(-1)!.turn;
  const record = turns.find((t) => t.turn === n);
  if (!record) {
    throw new Error(`session ${session.id} has no turn ${n}; its turns are 1 to ${turns.at(-1)!.turn}`);
  }
  const repo = checkpointRepo(projectRoot, session.meta.cwd);
  if (!repo)
    throw new Error(`${checkpointsDir(projectRoot)} is a symlink; owlet does not restore files from it`);
  const files = await restoreFiles(changesToUndo(session.changes(), n), repo);
  session.truncateToTurn(n);
  return { turn: n, turnsRemoved: turns.filter((t) => t.turn >= n).length, prompt: record.prompt, files };
}
