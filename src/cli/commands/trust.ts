import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "../../config/errors.ts";
import { ceilingsFromEnv, findProjectRoot } from "../../config/project-root.ts";
import { readTrustedFolders, revokeFolder, trustFilePath, trustFolder } from "../../config/trust.ts";
import { EXIT, UserError } from "../exit-codes.ts";

/** Options of `owlet trust`. */
export interface TrustOptions {
  list?: boolean;
  revoke?: boolean;
  out: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * `owlet trust [DIR]`: trusts DIR (default: the project root of the current directory), so its
 * `.owlet/config.toml` may set permission modes, allow rules, API keys and base URLs; `--list` prints the trusted
 * folders; `--revoke [DIR]` removes one. Returns the exit code; throws UserError (exit 2) for a missing directory or
 * revoking a folder that is not listed.
 */
export async function runTrust(dir: string | undefined, opts: TrustOptions): Promise<number> {
  try {
    return trust(dir, opts);
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message);
    throw error;
  }
}

function trust(dir: string | undefined, opts: TrustOptions): number {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  if (opts.list) {
    if (dir !== undefined) throw new UserError("trust --list takes no directory");
    const folders = readTrustedFolders(env);
    if (folders.length === 0) opts.out.write(`no trusted folders (${trustFilePath(env)})\n`);
    else opts.out.write(`${folders.join("\n")}\n`);
    return EXIT.ok;
  }
  const target = dir === undefined ? findProjectRoot(cwd, ceilingsFromEnv(env)) : resolve(cwd, dir);
  if (opts.revoke) {
    if (!revokeFolder(target, env))
      throw new UserError(`trust --revoke: ${target} is not a trusted folder (see owlet trust --list)`);
    opts.out.write(`revoked trust: ${target}\n`);
    return EXIT.ok;
  }
  if (!existsSync(target) || !statSync(target).isDirectory())
    throw new UserError(`trust: no such directory: ${target}`);
  const stored = trustFolder(target, env);
  opts.out.write(
    `trusted: ${stored}\nits .owlet/config.toml may now set the permission mode, allow rules, API keys and base URLs\n`,
  );
  return EXIT.ok;
}
