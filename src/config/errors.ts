/**
 * A configuration problem the user must fix: a missing `--config` file, a TOML syntax error, an unknown key, a
 * wrong type, an unset `${VAR}`. `message` is complete and actionable (`<file>:<line>: <problem>`); `file`,
 * `line` (1-based) and `key` (dotted, e.g. `provider.model`, `arms[0].limits.rpm`) are set when known.
 * The CLI maps it to exit code 2 and prints the message without a stack trace.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  file?: string;
  line?: number;
  key?: string;

  constructor(message: string, where: { file?: string; line?: number; key?: string } = {}) {
    super(message);
    if (where.file !== undefined) this.file = where.file;
    if (where.line !== undefined) this.line = where.line;
    if (where.key !== undefined) this.key = where.key;
  }
}

/** A key path inside the config: table keys and array indices, e.g. `["arms", 0, "limits", "rpm"]`. */
export type KeyPath = readonly (string | number)[];

/** Formats a key path as users write it: `provider.model`, `arms[0].limits.rpm`. */
export function formatKeyPath(path: KeyPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** `file:line: ` (or `file: ` without a line; empty without a file), the prefix of located messages. */
export function locationPrefix(file: string | undefined, line: number | undefined): string {
  if (file === undefined) return "";
  return line === undefined ? `${file}: ` : `${file}:${line}: `;
}
