/** The project's sessions for commands that manage them (`owlet sessions …`) without building a whole agent. */
import { resolve } from "node:path";
import { ceilingsFromEnv, findProjectRoot } from "../config/project-root.ts";
import { releaseSessionLock, SessionStore } from "../session/index.ts";
import { type UndoResult, undoTurn } from "./undo.ts";

/**
 * The session store of the project `cwd` belongs to (its root found as config finds it: the nearest `.git` or
 * `.owlet`, stopping at GIT_CEILING_DIRECTORIES). Nothing is created.
 */
export function projectSessions(cwd: string, env: NodeJS.ProcessEnv): SessionStore {
  return new SessionStore(projectRootOf(cwd, env));
}

/** The project root `cwd` belongs to, as config finds it. */
export function projectRootOf(cwd: string, env: NodeJS.ProcessEnv): string {
  return findProjectRoot(resolve(cwd), ceilingsFromEnv(env));
}

/**
 * `owlet undo`: undoes turn `turn` (default the last) of session `id` (default the project's latest) and every
 * later turn, without building an agent (no model is needed): files restored from the checkpoints, the session
 * cut back (see undoTurn). Takes the session's lock, so a session in use is refused (SessionBusyError). Throws an
 * Error a user can act on for an unknown session or turn.
 */
export async function undoInProject(
  cwd: string,
  env: NodeJS.ProcessEnv,
  opts: { id?: string; turn?: number } = {},
): Promise<UndoResult & { session: string }> {
  const root = projectRootOf(cwd, env);
  const store = new SessionStore(root);
  const session = opts.id ? store.open(opts.id) : store.latest();
  if (!session) throw new Error(`no session to undo in ${store.dir}`);
  try {
    return { ...(await undoTurn(session, root, opts.turn)), session: session.id };
  } finally {
    releaseSessionLock(session.path);
  }
}
