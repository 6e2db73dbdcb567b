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
