import { ConfigError, formatKeyPath, type KeyPath, locationPrefix } from "./errors.ts";
import { findKeyLine } from "./locate.ts";

const VARIABLE = /\$\$\{|\$\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expands `${VAR}` in every string value of a parsed TOML document (keys are left alone), reading `env`.
 * `$${` stands for a literal `${`. Returns a new value; the input is not modified.
 * Throws ConfigError naming the variable, the file, the line and the dotted key when a variable is unset or a
 * reference is malformed. An empty but set variable expands to the empty string.
 */
export function expandVariables(
  value: unknown,
  env: NodeJS.ProcessEnv,
  source: { file: string; text: string },
  path: (string | number)[] = [],
): unknown {
  if (typeof value === "string") return expandString(value, env, source, path);
  if (Array.isArray(value)) return value.map((item, i) => expandVariables(item, env, source, [...path, i]));
  if (isTable(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = expandVariables(item, env, source, [...path, key]);
    return out;
  }
  return value;
}

function expandString(
  value: string,
  env: NodeJS.ProcessEnv,
  source: { file: string; text: string },
  path: KeyPath,
): string {
  return value.replace(VARIABLE, (match, name: string | undefined) => {
    if (match === "$${") return "${";
    const key = formatKeyPath(path);
    const line = findKeyLine(source.text, path);
    const where = locationPrefix(source.file, line);
    if (name === undefined || !VARIABLE_NAME.test(name)) {
      throw new ConfigError(
        `${where}"${key}": malformed variable reference "${match}" (use \${NAME}; write $\${ for a literal \${)`,
        { file: source.file, line, key },
      );
    }
    const resolved = env[name];
    if (resolved === undefined) {
      throw new ConfigError(
        `${where}environment variable "${name}" is not set (used in "${key}"); set it or remove the reference`,
        { file: source.file, line, key },
      );
    }
    return resolved;
  });
}

/** True for a TOML table (a plain object; not an array, not a TomlDate). */
export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
