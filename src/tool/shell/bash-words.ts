/** One simple command's words and redirections, read as bash reads them (see analyse.ts). */
import { analyseBash, type Redirect } from "./analyse.ts";

export type { Redirect } from "./analyse.ts";

/** A simple command split into words as bash reads them (quotes removed, escapes applied, braces expanded). */
export interface SimpleCommand {
  /** Leading `NAME=value` words. */
  assignments: string[];
  /** The command name and its arguments; substitutions (`$(…)`, `<(…)`, backticks) are kept as written. */
  words: string[];
  redirects: Redirect[];
}

/**
 * The first simple command of `text` (tree-sitter-bash, see analyseBash): assignments, words and redirections.
 * Empty lists when there is none or the grammar is not loaded. Never throws.
 */
export function parseSimpleCommand(text: string): SimpleCommand {
  const first = analyseBash(text).commands[0];
  if (!first) return { assignments: [], words: [], redirects: [] };
  return { assignments: first.assignments, words: first.words, redirects: first.redirects };
}

/** Targets that discard or pass output on instead of writing a file. */
const NOT_A_FILE = new Set(["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"]);

/**
 * True when `command` writes to a file through a redirection: `>`, `>>`, `>|`, `&>`, `&>>`, `<>`, or `>&` with a
 * file name; descriptor duplication (`2>&1`, `>&2`, `>&-`) and `/dev/null` (also `/dev/stdout`, `/dev/stderr`,
 * `/dev/tty`) do not count.
 */
export function writesToFile(command: { redirects: readonly Redirect[] }): boolean {
  return command.redirects.some(({ op, target }) => {
    if (!op.includes(">")) return false;
    if (op === ">&" && /^(?:\d+|-)$/.test(target)) return false;
    return !NOT_A_FILE.has(target);
  });
}
