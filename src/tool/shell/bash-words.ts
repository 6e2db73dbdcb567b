/** Reading one simple command's words as bash does, for permission rules (see parseSimpleCommand). */
import { enclosedEnd, findUnescaped } from "./bash-split.ts";

/** One redirection of a simple command: `2>&1` is `{ op: ">&", target: "1", fd: "2" }`. */
export interface Redirect {
  op: string;
  target: string;
  /** The file descriptor written before the operator, when there is one. */
  fd?: string;
}

/** A simple command split into words as bash reads them (quotes removed, escapes applied). */
export interface SimpleCommand {
  /** Leading `NAME=value` words. */
  assignments: string[];
  /** The command name and its arguments; substitutions (`$(…)`, `<(…)`, backticks) are kept as written. */
  words: string[];
  redirects: Redirect[];
}

const REDIRECT_OPS = ["&>>", "<<<", "<<-", "&>", ">>", ">|", ">&", "<<", "<>", "<&", ">", "<"];

/**
 * Splits one simple command (a part from {@link splitBashCommand}, leading reserved words already stripped) into
 * assignments, words and redirections, roughly as bash does: whitespace separates words outside quotes, `'…'`,
 * `"…"`, `$'…'` (escapes such as `\n`, `\x72` decoded) and backslashes are removed, and `<`, `>` (with an
 * all-digit word right before them as the descriptor) start a redirection whose target is the next word.
 * Parameter expansions are not expanded, except that an unquoted `$IFS` / `${IFS}` separates words (as its default
 * value does after word splitting). Never throws; unclosed quotes run to the end.
 */
export function parseSimpleCommand(text: string): SimpleCommand {
  const result: SimpleCommand = { assignments: [], words: [], redirects: [] };
  let word = "";
  let raw = "";
  let inWord = false;
  let pending: Redirect | undefined;
  const endWord = () => {
    if (!inWord) return;
    if (pending) {
      pending.target = word;
      result.redirects.push(pending);
      pending = undefined;
    } else if (result.words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(raw)) {
      result.assignments.push(word);
    } else {
      result.words.push(word);
    }
    word = "";
    raw = "";
    inWord = false;
  };
  const add = (literal: string, source: string) => {
    word += literal;
    raw += source;
    inWord = true;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    const ifs = c === "$" ? /^\$(?:\{IFS\}|IFS(?!\w))/.exec(text.slice(i, i + 6)) : null;
    if (/\s/.test(c) || ifs) {
      endWord();
      if (ifs) i += ifs[0].length - 1;
    } else if (c === "\\") {
      if (next !== "\n" && next !== undefined) add(next, c + next);
      i++;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? text.length : close;
      add(text.slice(i + 1, end), text.slice(i, end + 1));
      i = end;
    } else if (c === "$" && next === "'") {
      const { value, end } = ansiC(text, i + 2);
      add(value, text.slice(i, end + 1));
      i = end;
    } else if (c === '"' || (c === "$" && next === '"')) {
      const { value, end } = doubleQuoted(text, c === "$" ? i + 2 : i + 1);
      add(value, text.slice(i, end + 1));
      i = end;
    } else if ((c === "$" || c === "<" || c === ">") && next === "(") {
      const end = enclosedEnd(text, i);
      add(text.slice(i, end + 1), text.slice(i, end + 1));
      i = end;
    } else if (c === "`") {
      const close = findUnescaped(text, "`", i + 1);
      const end = close < 0 ? text.length : close;
      add(text.slice(i, end + 1), text.slice(i, end + 1));
      i = end;
    } else if (c === "<" || c === ">" || (c === "&" && next === ">")) {
      const fd = inWord && /^\d+$/.test(raw) ? word : undefined;
      if (fd !== undefined) {
        word = "";
        raw = "";
        inWord = false;
      } else endWord();
      if (pending) result.redirects.push(pending); // an operator with no target word
      const op = REDIRECT_OPS.find((o) => text.startsWith(o, i))!;
      pending = fd === undefined ? { op, target: "" } : { op, target: "", fd };
      i += op.length - 1;
    } else {
      add(c, c);
    }
  }
  endWord();
  if (pending) result.redirects.push(pending);
  return result;
}

/** The `"…"` string whose body starts at `from`: its value (`\"`, `\\`, `\$`, `` \` `` unescaped) and closing index. */
function doubleQuoted(text: string, from: number): { value: string; end: number } {
  let value = "";
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value, end: i };
    if (c === "\\" && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
      if (text[i + 1] !== "\n") value += text[i + 1];
      i++;
    } else if (c === "$" && text[i + 1] === "(") {
      const end = enclosedEnd(text, i);
      value += text.slice(i, end + 1);
      i = end;
    } else {
      value += c;
    }
  }
  return { value, end: text.length };
}

const ANSI_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  e: "\x1b",
  E: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** The `$'…'` string whose body starts at `from`: its decoded value and the closing quote's index. */
function ansiC(text: string, from: number): { value: string; end: number } {
  let value = "";
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") return { value, end: i };
    if (c !== "\\" || i + 1 >= text.length) {
      value += c;
      continue;
    }
    const e = text[++i]!;
    const code =
      /^x([0-9a-fA-F]{1,2})/.exec(text.slice(i, i + 3)) ??
      /^u([0-9a-fA-F]{1,4})/.exec(text.slice(i, i + 5)) ??
      /^U([0-9a-fA-F]{1,8})/.exec(text.slice(i, i + 9));
    const octal = /^[0-7]{1,3}/.exec(text.slice(i, i + 3));
    if (code) {
      value += String.fromCodePoint(Math.min(Number.parseInt(code[1]!, 16), 0x10ffff));
      i += code[0].length - 1;
    } else if (octal) {
      value += String.fromCharCode(Number.parseInt(octal[0], 8) & 0xff);
      i += octal[0].length - 1;
    } else if (e === "c" && i + 1 < text.length) {
      value += String.fromCharCode(text.charCodeAt(++i) & 0x1f);
    } else {
      value += ANSI_ESCAPES[e] ?? e;
    }
  }
  return { value, end: text.length };
}

/** Targets that discard or pass output on instead of writing a file. */
const NOT_A_FILE = new Set(["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"]);

/**
 * True when `command` writes to a file through a redirection: `>`, `>>`, `>|`, `&>`, `&>>`, `<>`, or `>&` with a
 * file name; descriptor duplication (`2>&1`, `>&2`, `>&-`) and `/dev/null` (also `/dev/stdout`, `/dev/stderr`,
 * `/dev/tty`) do not count.
 */
export function writesToFile(command: SimpleCommand): boolean {
  return command.redirects.some(({ op, target }) => {
    if (!op.includes(">")) return false;
    if (op === ">&" && /^(?:\d+|-)$/.test(target)) return false;
    return !NOT_A_FILE.has(target);
  });
}
