/** The project's sessions for commands that manage them (`owlet sessions …`) without building a whole agent. */
import { resolve } from "node:path";
import { ceilingsFromEnv, findProjectRoot } from "../config/project-root.ts";
import { SessionStore } from "../session/index.ts";

/**
 * The session store of the project `cwd` belongs to (its root found as config finds it: the nearest `.git` or
 * `.owlet`, stopping at GIT_CEILING_DIRECTORIES). Nothing is created.
 */
export function projectSessions(cwd: string, env: NodeJS.ProcessEnv): SessionStore {
  return new SessionStore(findProjectRoot(resolve(cwd), ceilingsFromEnv(env)));
}
