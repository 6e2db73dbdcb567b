import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { ConfigError } from "./errors.ts";
import { userConfigPath } from "./user-path.ts";

/**
 * Trusted folders, as gemini-cli's trusted folders and Claude Code's trust dialog: a project's own config
 * (`.owlet/config.toml`) may only raise permissions in a folder the user has trusted. The list lives in the user's
 * config directory, beside config.toml: `trusted-folders.json`, `{ "version": 1, "folders": ["/abs/path", …] }`.
 * Trusting a folder trusts everything below it. Paths are stored symlink-resolved.
 */
export interface TrustFile {
  version: 1;
  folders: string[];
}

/** `<user config dir>/owlet/trusted-folders.json` (the directory of {@link userConfigPath}). */
export function trustFilePath(env: NodeJS.ProcessEnv): string {
  return join(dirname(userConfigPath(env)), "trusted-folders.json");
}

/** The owlet user-config directory (`$XDG_CONFIG_HOME/owlet` or `~/.config/owlet`): config, trust, router state. */
export function userConfigDir(env: NodeJS.ProcessEnv): string {
  return dirname(userConfigPath(env));
}

/**
 * The trusted folders, absolute. A missing file is an empty list. Throws ConfigError (exit 2) when the file is not
 * valid JSON of the expected shape, naming the file.
 */
export function readTrustedFolders(env: NodeJS.ProcessEnv): string[] {
  const file = trustFilePath(env);
  if (!existsSync(file)) return [];
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(
      `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}); fix or delete it`,
      { file },
    );
  }
  const folders = (data as { folders?: unknown } | null)?.folders;
  if (!Array.isArray(folders) || !folders.every((f) => typeof f === "string")) {
    throw new ConfigError(`${file}: expected {"version": 1, "folders": ["/path", …]}; fix or delete it`, {
      file,
    });
  }
  return folders as string[];
}

/** `dir` made absolute and symlink-resolved (as is, when it does not exist). */
export function canonicalFolder(dir: string): string {
  const abs = resolve(dir);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

/** True when `dir` (canonicalised) is a trusted folder or lies below one. */
export function isTrustedFolder(dir: string, env: NodeJS.ProcessEnv): boolean {
  const target = canonicalFolder(dir);
  return readTrustedFolders(env).some((folder) => target === folder || target.startsWith(withSep(folder)));
}

/** Adds `dir` to the trusted folders (no-op when already listed). Returns the canonical path stored. */
export function trustFolder(dir: string, env: NodeJS.ProcessEnv): string {
  const folder = canonicalFolder(dir);
  const folders = readTrustedFolders(env);
  if (!folders.includes(folder)) writeTrust(env, [...folders, folder]);
  return folder;
}

/**
 * Removes `dir` from the trusted folders. Returns false when it was not listed (a folder trusted through a parent
 * stays trusted: revoke the parent).
 */
export function revokeFolder(dir: string, env: NodeJS.ProcessEnv): boolean {
  const folder = canonicalFolder(dir);
  const folders = readTrustedFolders(env);
  if (!folders.includes(folder)) return false;
  writeTrust(
    env,
    folders.filter((f) => f !== folder),
  );
  return true;
}

function writeTrust(env: NodeJS.ProcessEnv, folders: string[]): void {
  const file = trustFilePath(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const body: TrustFile = { version: 1, folders };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

function withSep(dir: string): string {
  return dir.endsWith(sep) ? dir : dir + sep;
}
