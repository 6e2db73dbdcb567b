/** What the command analysis (analyse.ts) reports about a command line. */

/** One redirection: `2>&1` is `{ op: ">&", target: "1", fd: "2" }`; here-documents are `<<` with their delimiter. */
export interface Redirect {
  op: string;
  target: string;
  /** The file descriptor written before the operator, when there is one. */
  fd?: string;
}

/** One simple command found anywhere in a command line. */
export interface ShellCommand {
  /** The command as written, with its redirections (without here-document bodies). */
  text: string;
  /** Leading `NAME=value` words, as bash reads them. */
  assignments: string[];
  /** The command name and its arguments as bash reads them; `coproc [NAME] [{]` removed. */
  words: string[];
  /** Per word: it contains an expansion or substitution, so its value is only known at run time. */
  dynamic: boolean[];
  /** The command name contains an unquoted glob character (`/bin/r?`). */
  globName: boolean;
  redirects: Redirect[];
  /** Its standard input comes from an earlier pipeline stage (`… | sh`). */
  pipedInput: boolean;
  /** Literal texts fed to it through here-strings and non-expanding here-documents. */
  inputTexts: string[];
}

/** The outcome of {@link analyseBash} (shared with later calls for the same command: do not modify). */
export interface BashAnalysis {
  /** Every simple command, outer before inner, in source order. */
  commands: ShellCommand[];
  /** Why the analysis cannot vouch for the command line (empty when it can). */
  unresolved: string[];
  /** Set when the command was not analysed at all (too large, too slow, grammar not loaded). */
  refused?: string;
}
