import { stat } from "node:fs/promises";

/** A file's state when it was last read or written by a tool: modification time (ms) and size (bytes). */
interface FileState {
  mtimeMs: number;
  size: number;
}

/**
 * Read-before-write, as Claude Code's Edit and Write tools enforce it: `fs_edit`, and `fs_write` on an existing
 * file, need an `fs_read` of that file earlier in the session with the file unchanged since (same mtime and
 * size), so a model never overwrites or patches content it has not seen. A successful edit or write records
 * the new state, so consecutive edits need no read in between; a change by anything else (bash, the user)
 * needs a new read.
 *
 * One ledger per session (the engine's tool context holds it); keys are absolute, symlink-resolved paths.
 */
export class ReadLedger {
  private readonly seen = new Map<string, FileState>();

  /** Records that `abs` was read (or written) as it is now on disk. Never throws (a vanished file is forgotten). */
  async record(abs: string): Promise<void> {
    const st = await stat(abs).catch(() => undefined);
    if (st?.isFile()) this.seen.set(abs, { mtimeMs: st.mtimeMs, size: st.size });
    else this.seen.delete(abs);
  }

  /**
   * Why `abs` may not be changed yet, or undefined when it may: it does not exist (creating a file needs no
   * read), or it was read and is unchanged since. `shown` is the path as the model should see it.
   */
  async refusal(abs: string, shown: string, tool: string): Promise<string | undefined> {
    const st = await stat(abs).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const was = this.seen.get(abs);
    if (!was) {
      return `${shown} exists and you have not read it yet: call fs_read on ${shown} first, then ${tool} it using what you read. Nothing was changed.`;
    }
    if (was.mtimeMs !== st.mtimeMs || was.size !== st.size) {
      return `${shown} changed since you last read it: call fs_read on ${shown} again, then ${tool} it. Nothing was changed.`;
    }
    return undefined;
  }
}
