import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";

/** Thrown when another live process holds a session's lock. */
export class SessionBusyError extends Error {
  readonly pid: number;
  constructor(file: string, pid: number) {
    super(
      `session ${file} is in use by another owlet (pid ${pid}); wait for it to finish, or start a new session (without --continue/--resume)`,
    );
    this.name = "SessionBusyError";
    this.pid = pid;
  }
}

const held = new Set<string>();
let exitHookInstalled = false;

/**
 * Takes the lock of session file `file`: creates `<file>.lock` exclusively (O_EXCL) holding this process's pid, 0600.
 * A lock whose pid is no longer alive (a crashed run) is taken over. Released by {@link releaseSessionLock} or,
 * at the latest, when the process exits. Re-locking a file this process holds is a no-op.
 * Throws {@link SessionBusyError} when a live process holds it, or the fs error.
 */
export function lockSession(file: string): void {
  const lock = `${file}.lock`;
  if (held.has(lock)) return;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lock, "wx", 0o600);
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      held.add(lock);
      installExitHook();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const pid = lockOwner(lock);
    if (pid !== undefined && pid !== process.pid && isAlive(pid)) throw new SessionBusyError(file, pid);
    // Stale (its owner died) or unreadable: remove it and try again.
    try {
      unlinkSync(lock);
    } catch {
      // another process removed it first
    }
  }
  throw new SessionBusyError(file, lockOwner(lock) ?? 0);
}

/** Releases a lock taken by {@link lockSession} (no-op when not held). */
export function releaseSessionLock(file: string): void {
  const lock = `${file}.lock`;
  if (!held.delete(lock)) return;
  try {
    unlinkSync(lock);
  } catch {
    // already gone
  }
}

function lockOwner(lock: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lock, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const lock of held) {
      try {
        unlinkSync(lock);
      } catch {
        // already gone
      }
    }
    held.clear();
  });
}
