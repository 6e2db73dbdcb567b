import { join } from "node:path";
import { contentHash } from "../../extension/plugins/hash.ts";
import { installPlugin, removePlugin } from "../../extension/plugins/install.ts";
import { pluginsDir, readPins } from "../../extension/plugins/store.ts";
import { EXIT, UserError } from "../exit-codes.ts";

/** Where `owlet plugin` runs (tests pass their own). */
export interface PluginCommandIO {
  out: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** `owlet plugin install PATH|GIT-URL`: installs and pins the plugin. UserError (exit 2) when it cannot. */
export async function runPluginInstall(source: string, io: PluginCommandIO): Promise<number> {
  try {
    const p = installPlugin(source, io.env ?? process.env, io.cwd ?? process.cwd());
    io.out.write(
      `installed plugin "${p.name}"${p.version ? ` ${p.version}` : ""} in ${p.dir}\npinned sha256 ${p.hash}: owlet refuses it if its files change\n`,
    );
    return EXIT.ok;
  } catch (err) {
    throw new UserError(`plugin install: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `owlet plugin list`: installed plugins with their source and whether their files still match the pin. */
export async function runPluginList(io: PluginCommandIO): Promise<number> {
  const env = io.env ?? process.env;
  let pins: ReturnType<typeof readPins>;
  try {
    pins = readPins(env);
  } catch (err) {
    throw new UserError(err instanceof Error ? err.message : String(err));
  }
  const names = Object.keys(pins).sort();
  if (names.length === 0) io.out.write("no plugins installed (owlet plugin install PATH|GIT-URL)\n");
  for (const name of names) {
    let state: string;
    try {
      state = contentHash(join(pluginsDir(env), name)) === pins[name]!.hash ? "ok" : "CHANGED: refused";
    } catch {
      state = "missing";
    }
    io.out.write(`${name}  ${state}  (${pins[name]!.source})\n`);
  }
  return EXIT.ok;
}

/** `owlet plugin remove NAME`. UserError (exit 2) when no such plugin is installed. */
export async function runPluginRemove(name: string, io: PluginCommandIO): Promise<number> {
  if (!removePlugin(name, io.env ?? process.env))
    throw new UserError(`plugin remove: no plugin named "${name}" is installed (see owlet plugin list)`);
  io.out.write(`removed plugin "${name}"\n`);
  return EXIT.ok;
}
