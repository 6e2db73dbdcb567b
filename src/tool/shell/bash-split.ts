/**
 * The simple commands of a command line as text, for callers that match text (see analyse.ts for the full
 * analysis). Replaces owlet's hand-written splitter, whose here-string and quadratic-time bugs the issue-9 attack
 * run found: the command line is now parsed with tree-sitter-bash.
 */
import { analyseBash } from "./analyse.ts";

/**
 * Every simple command `command` can run, as written (with its redirections, without here-document bodies), outer
 * before inner, in source order: `echo $(rm a; rm b) done` → `echo $(rm a; rm b) done`, `rm a`, `rm b`.
 * Needs the grammar loaded (loadBashGrammar); a command that is not analysed (grammar not loaded, too large) gives [].
 */
export function splitBashCommand(command: string): string[] {
  return analyseBash(command).commands.map((c) => c.text);
}
