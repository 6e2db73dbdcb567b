import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { contentHash } from "./hash.ts";
import { readManifest } from "./manifest.ts";
import { type PluginPin, pluginsDir, readPins, writePins } from "./store.ts";

/** Whether a plugin source is a git URL (cloned) rather than a folder (copied). */
export function isGitSource(source: string): boolean {
  return (
    /^(https?|ssh|git|file):\/\//.test(source) || /^[\w.-]+@[\w.-]+:/.test(source) || source.endsWith(".git")
  );
}

/** An installed plugin as listed. */
export interface InstalledPlugin extends PluginPin {
  name: string;
  dir: string;
  version?: string;
  description?: string;
}

/**
 * Installs a plugin from a folder (copied) or a git URL (`git clone --depth 1`, its `.git` left out) into the user's
 * plugins folder, and pins its content hash (trust on first use: every later load checks it). Resolves with what
 * was installed. Throws an Error a user can act on: the source is missing, the clone failed, the manifest is
 * invalid, or a plugin of that name is already installed (remove it first).
 */
export function installPlugin(source: string, env: NodeJS.ProcessEnv, cwd: string): InstalledPlugin {
  const git = isGitSource(source);
  let from = git ? "" : resolve(cwd, source);
  let temp: string | undefined;
  if (git) {
    temp = mkdtempSync(join(tmpdir(), "owlet-plugin-"));
    from = join(temp, "src");
    try {
      execFileSync("git", ["clone", "--quiet", "--depth", "1", source, from], {
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...env, GIT_TERMINAL_PROMPT: "0" },
        timeout: 120_000,
      });
    } catch (err) {
      rmSync(temp, { recursive: true, force: true });
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`git clone ${source} failed${stderr ? `: ${stderr.split("\n").at(-1)}` : ""}`);
    }
  } else if (!existsSync(from) || !statSync(from).isDirectory()) {
    throw new Error(`no such plugin folder: ${from}`);
  }
  try {
    const manifest = readManifest(from);
    const pins = readPins(env);
    const dir = join(pluginsDir(env), manifest.name);
    if (pins[manifest.name] || existsSync(dir))
      throw new Error(
        `a plugin named "${manifest.name}" is already installed; remove it first (owlet plugin remove ${manifest.name})`,
      );
    cpSync(from, dir, { recursive: true, filter: (src) => !src.split(/[\\/]/).includes(".git") });
    const pin: PluginPin = {
      source: git ? source : from,
      hash: contentHash(dir),
      installed_at: new Date().toISOString(),
    };
    writePins(env, { ...pins, [manifest.name]: pin });
    return { dir, ...pin, ...manifest };
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

/** Removes an installed plugin (its folder and its pin). Returns false when there is none of that name. */
export function removePlugin(name: string, env: NodeJS.ProcessEnv): boolean {
  const pins = readPins(env);
  const dir = join(pluginsDir(env), name);
  if (!pins[name] && !existsSync(dir)) return false;
  rmSync(dir, { recursive: true, force: true });
  const { [name]: _gone, ...rest } = pins;
  writePins(env, rest);
  return true;
}
