import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { parseRouterState, type RouterState } from "./state.ts";

/**
 * Where the learned router state lives: `${XDG_CONFIG_HOME:-~/.config}/owlet/router-state.json`
 * (gnoma keeps its equivalent `quality.json` in `~/.config/gnoma/`, reference §2.3).
 */
export function defaultRouterStatePath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  return join(base, "owlet", "router-state.json");
}

/**
 * Loads the state at `path`. A missing file gives undefined silently; an unreadable, non-JSON or malformed
 * file gives undefined and one `warn` line (the router then starts fresh and the next save replaces it).
 */
export async function loadRouterState(
  path: string,
  warn: (msg: string) => void = () => {},
): Promise<RouterState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT")
      warn(`router state ${path} unreadable (${(err as Error).message}); starting fresh`);
    return undefined;
  }
  try {
    return parseRouterState(JSON.parse(text));
  } catch (err) {
    warn(`router state ${path} is corrupt (${(err as Error).message}); starting fresh, it will be rewritten`);
    return undefined;
  }
}

/**
 * Writes `state` to `path` atomically: a temporary file (mode 0600) in the same folder, then rename; the
 * folder is created with mode 0700 (gnoma's Wave-2 file modes, reference §12). Throws on I/O errors.
 */
export async function saveRouterState(path: string, state: RouterState): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 1)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
