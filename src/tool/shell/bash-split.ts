/**
 * Splits a shell command line into its simple commands, for permission rules: on `&&`, `||`, `;`, `|`, `|&`,
 * `&` (background) and newlines, outside quotes (`'…'`, `"…"` and ANSI-C `$'…'`, where `\'` does not close the
 * string) and comments (`#` at the start of a word, up to the newline). The bodies of `$(…)` and backtick
 * substitutions (which run too, even inside double quotes) and of `<(…)` / `>(…)` process substitutions (outside
 * quotes) are split recursively, with the same quoting rules, and listed after the command that contains them.
 * Here-document bodies are skipped (their substitutions are listed when the delimiter is unquoted); arithmetic
 * `$((…))` / `((…))` is not split, but substitutions inside it are listed. Grouping `(`, `)`, `{`, `}` around a command is stripped. Quotes are kept in the returned text; comments are not.
 *
 * gnoma splits with a POSIX parser on `&&`/`||` only (§7.1); owlet also splits pipes and `;` (as briefed) and
 * substitutions. This is a best-effort lexer, not a sandbox: deny rules narrow what runs, they cannot
 * contain a determined shell.
 */
export function splitBashCommand(command: string): string[] {
  const { parts, nested } = scan(command, 0, "list");
  return [...parts, ...nested];
}

/**
 * What {@link scan} reads: a command list (the whole line), the body of a `$(…)`, `<(…)` or `>(…)` substitution,
 * or the body of an arithmetic `$((…))` / `((…))` (no comments or here-documents; `<<` is a shift there).
 */
type ScanMode = "list" | "substitution" | "arithmetic";

/** What {@link scan} found and where it stopped. */
interface Scan {
  /** The simple commands at the scanned level. */
  parts: string[];
  /** The commands of substitutions and here-documents inside them. */
  nested: string[];
  /** Index of the `)` closing a substitution or arithmetic body, or the text's length. */
  end: number;
}

/** A here-document announced by `<<WORD` / `<<-WORD`, whose body starts after the next newline. */
interface Heredoc {
  delimiter: string;
  /** `<<-`: leading tabs are stripped from the body lines and the delimiter line. */
  stripTabs: boolean;
  /** The delimiter was not quoted, so substitutions in the body run. */
  expands: boolean;
}

/**
 * Lexes `text` from `start`. Outside "list" mode, stops at the `)` that closes the body: one not matched by an
 * earlier `(` and not a `case` pattern's `)`.
 */
function scan(text: string, start: number, mode: ScanMode): Scan {
  const out: string[] = [];
  const nested: string[] = [];
  const heredocs: Heredoc[] = [];
  let current = "";
  let quote: "'" | '"' | "$'" | undefined;
  let parens = 0;
  let cases = 0;
  // whether `current` ends in a separator or operator character (not one inside a quote or substitution)
  let plainEnd = true;
  const flush = () => {
    const cleaned = stripGrouping(current);
    if (cleaned !== "") out.push(cleaned);
    current = "";
  };
  /** Appends the substitution or arithmetic at `from` whose body starts at `bodyStart`; returns its last index. */
  const enclosed = (from: number, bodyStart: number, bodyMode: ScanMode) => {
    const inner = scan(text, bodyStart, bodyMode);
    nested.push(...bodyCommands(text, inner, bodyMode));
    const end = bodyMode === "arithmetic" && text[inner.end + 1] === ")" ? inner.end + 1 : inner.end;
    current += text.slice(from, end + 1);
    return end;
  };

  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    const wordStart = current === "" || (plainEnd && /[\s;&|()<>]$/.test(current));
    plainEnd = false;
    if (quote === "'") {
      current += c;
      if (c === "'") quote = undefined;
      continue;
    }
    if (quote === "$'") {
      // ANSI-C quoting: a backslash escapes the next character, `\'` included.
      if (c === "\\" && next !== undefined) {
        current += c + next;
        i++;
      } else {
        current += c;
        if (c === "'") quote = undefined;
      }
      continue;
    }
    if (c === "\\" && next !== undefined) {
      current += c + next;
      i++;
      continue;
    }
    if (c === "$" && next === "(") {
      i = text[i + 2] === "(" ? enclosed(i, i + 3, "arithmetic") : enclosed(i, i + 2, "substitution");
      continue;
    }
    if (c === "`") {
      const close = findUnescaped(text, "`", i + 1);
      const end = close < 0 ? text.length : close;
      nested.push(...splitBashCommand(text.slice(i + 1, end)));
      current += text.slice(i, end + 1);
      i = end;
      continue;
    }
    if (quote === '"') {
      current += c;
      if (c === '"') quote = undefined;
      continue;
    }
    if (c === "$" && next === "'") {
      quote = "$'";
      current += "$'";
      i++;
      continue;
    }
    if ((c === "<" || c === ">") && next === "(") {
      // process substitution: its body runs as a command
      i = enclosed(i, i + 2, "substitution");
      continue;
    }
    if (c === "(" && next === "(" && wordStart && mode !== "arithmetic") {
      i = enclosed(i, i + 2, "arithmetic");
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      current += c;
      continue;
    }
    if (mode !== "arithmetic") {
      if (c === "#" && wordStart) {
        const newline = text.indexOf("\n", i);
        i = (newline < 0 ? text.length : newline) - 1;
        continue;
      }
      if (c === "<" && next === "<" && text[i + 2] !== "<") {
        const { heredoc, end } = heredocWord(text, i + 2);
        heredocs.push(heredoc);
        current += text.slice(i, end);
        i = end - 1;
        continue;
      }
      if (c === "\n" && heredocs.length > 0) {
        flush();
        i = skipHeredocs(text, i + 1, heredocs.splice(0), nested) - 1;
        continue;
      }
    }
    if (mode === "substitution" && wordStart) {
      if (/^case\s/.test(text.slice(i, i + 5))) cases++;
      else if (cases > 0 && /^esac(?![^\s;&|)])/.test(text.slice(i, i + 5))) cases--;
    }
    if (c === "(") parens++;
    if (c === ")") {
      if (parens > 0) parens--;
      else if (mode !== "list" && cases === 0) break;
    }
    if ((c === "&" && next === "&") || (c === "|" && next === "|") || (c === "|" && next === "&")) {
      flush();
      i++;
      continue;
    }
    if (c === ";" || c === "\n" || c === "|") {
      flush();
      continue;
    }
    if (c === "&") {
      const previous = current[current.length - 1];
      // `2>&1`, `>&2`, `&>file` are redirections, not separators.
      if (previous === ">" || previous === "<" || next === ">") {
        current += c;
        continue;
      }
      flush();
      continue;
    }
    current += c;
    plainEnd = true;
  }
  flush();
  return { parts: out, nested, end: Math.min(i, text.length) };
}

/**
 * The commands of a scanned substitution or arithmetic body. An arithmetic body's parts are expressions, not
 * commands, unless it does not end in `))` or has several parts (`$((cd x; rm y) )`: then bash may run it as a
 * subshell, so they count).
 */
function bodyCommands(text: string, body: Scan, mode: ScanMode): string[] {
  const expression = mode === "arithmetic" && text[body.end + 1] === ")" && body.parts.length <= 1;
  return expression ? body.nested : [...body.parts, ...body.nested];
}

/** The index of the `)` (or `))`) ending the `$(…)`, `$((…))`, `<(…)` or `>(…)` whose `(` follows index `at`. */
export function enclosedEnd(text: string, at: number): number {
  if (text[at] === "$" && text[at + 2] === "(") {
    const end = scan(text, at + 3, "arithmetic").end;
    return text[end + 1] === ")" ? end + 1 : end;
  }
  return scan(text, at + 2, "substitution").end;
}

/** The delimiter word of a here-document whose `<<` ends just before `from`, and the index after the word. */
function heredocWord(text: string, from: number): { heredoc: Heredoc; end: number } {
  let j = from;
  const stripTabs = text[j] === "-";
  if (stripTabs) j++;
  while (text[j] === " " || text[j] === "\t") j++;
  const wordStart = j;
  let quote: string | undefined;
  for (; j < text.length; j++) {
    const c = text[j]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\") j++;
    else if (/[\s;&|()<>]/.test(c)) break;
  }
  const word = text.slice(wordStart, Math.min(j, text.length));
  const delimiter = word.replace(/\\(.)|\$?['"]/gs, (_, escaped: string | undefined) => escaped ?? "");
  return { heredoc: { delimiter, stripTabs, expands: !/['"\\]/.test(word) }, end: Math.min(j, text.length) };
}

/**
 * Skips the bodies of `heredocs`, in order, from `from` (just after the newline that ends their command line):
 * each runs to a line equal to its delimiter. Substitutions in expanding bodies go to `nested`. Returns the index
 * after the last delimiter line, or `from` when a delimiter line is missing (then the rest is lexed as commands:
 * splitting too much is safe, hiding a command is not).
 */
function skipHeredocs(text: string, from: number, heredocs: Heredoc[], nested: string[]): number {
  let i = from;
  const commands: string[] = [];
  for (const doc of heredocs) {
    const bodyStart = i;
    let found = false;
    while (i < text.length && !found) {
      const newline = text.indexOf("\n", i);
      const line = text.slice(i, newline < 0 ? text.length : newline);
      found = (doc.stripTabs ? line.replace(/^\t+/, "") : line) === doc.delimiter;
      if (found && doc.expands) commands.push(...substitutionCommands(text.slice(bodyStart, i)));
      i = newline < 0 ? text.length : newline + 1;
    }
    if (!found) return from;
  }
  nested.push(...commands);
  return i;
}

/** The commands of the `$(…)` and backtick substitutions in `text`, read as the body of a double-quoted string. */
function substitutionCommands(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\") i++;
    else if (c === "$" && text[i + 1] === "(") {
      const mode = text[i + 2] === "(" ? "arithmetic" : "substitution";
      const inner = scan(text, i + (mode === "arithmetic" ? 3 : 2), mode);
      out.push(...bodyCommands(text, inner, mode));
      i = inner.end;
    } else if (c === "`") {
      const close = findUnescaped(text, "`", i + 1);
      const end = close < 0 ? text.length : close;
      out.push(...splitBashCommand(text.slice(i + 1, end)));
      i = end;
    }
  }
  return out;
}

/** Index of the first `char` at or after `from` not escaped by a backslash, or -1. */
export function findUnescaped(text: string, char: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

function stripGrouping(text: string): string {
  let s = text.trim();
  const count = (char: string) => s.split(char).length - 1;
  for (;;) {
    const before = s;
    if (/^[({]/.test(s) && count(s[0]!) > count(s[0] === "(" ? ")" : "}")) s = s.slice(1).trim();
    if (/[)}]$/.test(s) && count(s[s.length - 1]!) > count(s.endsWith(")") ? "(" : "{"))
      s = s.slice(0, -1).trim();
    if (s === before) return s;
  }
}

const ASSIGNMENT = /^(?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"]*)\s+)+/;

/** A simple command without leading `NAME=value` assignments (`FOO=1 rm x` → `rm x`). */
export function stripAssignments(command: string): string {
  return command.replace(ASSIGNMENT, "");
}

/**
 * What may precede the command a simple command runs, at its start: reserved words (`if`, `then`, `do`, `!`,
 * `time [-p]`, …), grouping, a `case` head or pattern (`case x in a)`, `b|c)`) and a function header (`f()`).
 */
const LEADING_WORD =
  /^(?:(?:if|then|else|elif|while|until|do|!|time(?:\s+-p)?)\s+|[({]\s*|case\s+\S+\s+in\s+|\(?[^\s()'"]+\)\s*|(?:function\s+)?[\w.:-]+\s*\(\s*\)\s*|function\s+[\w.:-]+\s+)/;

/**
 * `part` (one simple command from {@link splitBashCommand}) without its leading reserved words, grouping, `case`
 * patterns and function headers, in any order; with `assignments`, without leading `NAME=value` assignments too.
 * `if x; then rm y; fi` gives the parts `if x`, `then rm y`, `fi`, and this turns `then rm y` into `rm y`.
 */
export function stripLeadingWords(part: string, assignments = true): string {
  let s = part;
  for (;;) {
    const stripped = s.replace(LEADING_WORD, "");
    const next = assignments ? stripAssignments(stripped) : stripped;
    if (next === s) return s;
    s = next;
  }
}
