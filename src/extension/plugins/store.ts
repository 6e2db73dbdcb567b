import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { userConfigDir } from "../../config/trust.ts";

/** One installed plugin as pinned on first install: where it came from and its content hash then. */
export interface PluginPin {
  source: string;
  hash: string;
  installed_at: string;
}

/** `<user config dir>/plugins/`: installed plugins, one folder each. */
export function pluginsDir(env: NodeJS.ProcessEnv): string {
  return join(userConfigDir(env), "plugins");
}

/** `<user config dir>/plugins.json`: `{"version": 1, "plugins": {NAME: PluginPin}}`. */
export function pinsFile(env: NodeJS.ProcessEnv): string {
  return join(userConfigDir(env), "plugins.json");
}

/** The pins; a missing file is none. Throws an Error naming the file when it is not of the expected shape. */
export function readPins(env: NodeJS.ProcessEnv): Record<string, PluginPin> {
  const file = pinsFile(env);
  if (!existsSync(file)) return {};
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as { plugins?: Record<string, PluginPin> };
    if (typeof data.plugins !== "object" || data.plugins === null) throw new Error("no plugins object");
    return data.plugins;
  } catch (err) {
    throw new Error(
      `${file}: not a valid pin file (${err instanceof Error ? err.message : String(err)}); fix or delete it`,
    );
  }
}

/** Writes the pins (atomically, 0600). */
export function writePins(env: NodeJS.ProcessEnv, plugins: Record<string, PluginPin>): void {
  const file = pinsFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, plugins }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
