import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * The user config file: `$XDG_CONFIG_HOME/owlet/config.toml` when XDG_CONFIG_HOME is an absolute path, else
 * `$HOME/.config/owlet/config.toml` (HOME from `env`, falling back to the OS home directory).
 */
export function userConfigPath(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), ".config");
  return join(base, "owlet", "config.toml");
}

/**
 * owlet's per-user state directory (prompt history and other things that are neither config nor cache):
 * `$XDG_STATE_HOME/owlet` when XDG_STATE_HOME is an absolute path, else `$HOME/.local/state/owlet` (as the XDG
 * base directory spec; HOME from `env`, falling back to the OS home directory).
 */
export function userStateDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), ".local", "state");
  return join(base, "owlet");
}
