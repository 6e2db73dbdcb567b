/** The agent's conversation on disk: which session it continues, and keeping owlet's state out of commits. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Message } from "../message/types.ts";
import type { Session, SessionStore } from "../session/index.ts";
import { setupError } from "./errors.ts";

/**
 * Which conversation the agent continues: a new one (`new`, the default), the project's most recently used one
 * (`latest`, `--continue`), or the one with this id (`resume`, `--resume <id>`).
 */
export type SessionChoice = { kind: "new" } | { kind: "latest" } | { kind: "resume"; id: string };

/**
 * Opens (and locks) the session `choice` names, or undefined for a new one (created later, once the arm is
 * known). Throws AgentSetupError for a malformed or unknown id, a busy or corrupt session, a symlinked state
 * directory, or `latest` with no earlier session.
 */
export function openChosenSession(store: SessionStore, choice: SessionChoice): Session | undefined {
  if (choice.kind === "resume") {
    try {
      return store.open(choice.id);
    } catch (err) {
      throw setupError(err);
    }
  }
  if (choice.kind === "latest") {
    let latest: Session | undefined;
    try {
      latest = store.latest();
    } catch (err) {
      throw setupError(err, "--continue: ");
    }
    if (!latest) throw setupError(`no earlier session in ${store.dir}`, "--continue: ");
    return latest;
  }
  return undefined;
}

/**
 * The history of the session `choice` names, read without locking or writing it (`--no-session-persistence`):
 * its compacted view. Undefined for a new session. Throws AgentSetupError as openChosenSession does.
 */
export function readChosenSession(store: SessionStore, choice: SessionChoice): Message[] | undefined {
  if (choice.kind === "new") return undefined;
  try {
    if (choice.kind === "resume") return store.read(choice.id).view;
    const latest = store.list()[0];
    if (!latest) throw new Error(`no earlier session in ${store.dir}`);
    return store.read(latest.id).view;
  } catch (err) {
    throw setupError(err, choice.kind === "latest" ? "--continue: " : "");
  }
}

/**
 * Keeps sessions, saved tool output and checkpoints out of the user's commits: writes `.owlet/.gitignore`
 * (ignoring `sessions/` and `checkpoints/`) under `projectRoot` unless one exists. `.owlet/config.toml` stays committable. Never throws: in a
 * read-only project sessions fail later with their own clear error.
 */
export function ignoreOwletState(projectRoot: string): void {
  const file = join(projectRoot, ".owlet", ".gitignore");
  if (existsSync(file)) return;
  try {
    mkdirSync(join(projectRoot, ".owlet"), { recursive: true, mode: 0o700 });
    writeFileSync(
      file,
      "# owlet's sessions, saved tool results and checkpoints are local state\nsessions/\ncheckpoints/\n",
    );
  } catch {
    // read-only project: sessions will fail to open with their own clear error
  }
}
