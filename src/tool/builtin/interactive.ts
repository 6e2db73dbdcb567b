import { analyseBash } from "../shell/analyse.ts";

/**
 * Interactive-command detection for the bash tool, after gnoma's list (§4.3): commands that need a
 * terminal, a password or a human would hang (stdin is /dev/null) or do something only the user should.
 */
const PREFIXES: Record<string, string> = {
  sudo: "it asks for a password, and root access needs the user's consent; ask the user to run it",
  su: "it asks for a password; ask the user to run it",
  passwd: "it asks for a password interactively; ask the user to run it",
  ssh: "it opens an interactive remote session (and may ask for a password); ask the user to run it",
  sftp: "it is an interactive file-transfer session",
  ftp: "it is an interactive file-transfer session",
  vim: "it is a full-screen editor; use fs_read and fs_edit instead",
  vi: "it is a full-screen editor; use fs_read and fs_edit instead",
  nvim: "it is a full-screen editor; use fs_read and fs_edit instead",
  nano: "it is a full-screen editor; use fs_read and fs_edit instead",
  emacs: "it is a full-screen editor; use fs_read and fs_edit instead",
  less: "it is a pager that waits for keys; use cat, head or fs_read",
  more: "it is a pager that waits for keys; use cat, head or fs_read",
  top: "it is a full-screen monitor; use `ps aux`",
  htop: "it is a full-screen monitor; use `ps aux`",
  mysql: "it opens an interactive database shell; pass a query with -e, or ask the user",
  psql: "it opens an interactive database shell; pass a query with -c, or ask the user",
};

/** Interpreters that start a REPL when run without arguments. */
const REPLS = new Set(["python", "python2", "python3", "node", "irb", "iex", "ghci", "julia"]);

/**
 * Returns why `command` is refused as interactive, or undefined when it may run. Checks the first
 * word of every simple command (found and read by the bash grammar, see analyseBash, which must be loaded:
 * quotes removed, leading `VAR=value` assignments and reserved words skipped, the command by basename):
 * refuses the prefixes above, `git push` (the subcommand, after global options such as `-C dir`; not
 * `git stash push`), and bare REPLs (`python`, `node`, … with no arguments and no input redirection).
 */
export function interactiveReason(command: string): string | undefined {
  for (const { words, redirects, pipedInput } of analyseBash(command).commands) {
    const first = words[0];
    if (first === undefined) continue;
    const name = first.split("/").pop()!;
    const why = Object.hasOwn(PREFIXES, name) ? PREFIXES[name] : undefined;
    if (why) return `Refused: \`${name}\` is interactive: ${why}.`;
    if (name === "git" && gitSubcommand(words) === "push") {
      return "Refused: `git push` publishes to a remote and may ask for credentials; tell the user the commits are ready to push.";
    }
    if (REPLS.has(name) && words.length === 1 && redirects.length === 0 && !pipedInput) {
      return `Refused: bare \`${name}\` starts an interactive REPL and would hang (stdin is empty). Pass a script file or code with -c/-e instead.`;
    }
  }
  return undefined;
}

/** git options that take a separate value (`git -C dir push`); the value is not the subcommand. */
const GIT_OPTIONS_WITH_VALUE = new Set([
  "-C",
  "-c",
  "--git-dir",
  "--work-tree",
  "--namespace",
  "--exec-path",
  "--config-env",
  "--attr-source",
  "--super-prefix",
]);

/** The git subcommand in `words` (`["git", "-C", "x", "push"]` → `push`), skipping global options. */
function gitSubcommand(words: string[]): string | undefined {
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (GIT_OPTIONS_WITH_VALUE.has(word)) i++;
    else if (!word.startsWith("-")) return word;
  }
  return undefined;
}
