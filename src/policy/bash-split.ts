/**
 * Splits a shell command line into its simple commands, for permission rules: on `&&`, `||`, `;`, `|`, `|&`,
 * `&` (background) and newlines, outside quotes (`'…'`, `"…"` and ANSI-C `$'…'`, where `\'` does not close the
 * string). The bodies of `$(…)` and backtick substitutions (which run too, even inside double quotes) and of
 * `<(…)` / `>(…)` process substitutions (outside quotes) are split recursively and listed after the command that
 * contains them.
 * Grouping `(`, `)`, `{`, `}` around a command is stripped. Quotes are kept in the returned text.
 *
 * gnoma splits with a POSIX parser on `&&`/`||` only (§7.1); owlet also splits pipes and `;` (as briefed) and
 * substitutions. This is a best-effort lexer, not a sandbox: deny rules narrow what runs, they cannot
 * contain a determined shell.
 */
export function splitBashCommand(command: string): string[] {
  const out: string[] = [];
  const nested: string[] = [];
  let current = "";
  let quote: "'" | '"' | "$'" | undefined;
  const flush = () => {
    const cleaned = stripGrouping(current);
    if (cleaned !== "") out.push(cleaned);
    current = "";
  };

  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    const next = command[i + 1];
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
        continue;
      }
      current += c;
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === "\\" && next !== undefined) {
      current += c + next;
      i++;
      continue;
    }
    if (c === "$" && next === "(" && command[i + 2] !== "(") {
      const end = matchingParen(command, i + 1);
      const body = command.slice(i + 2, end);
      nested.push(...splitBashCommand(body));
      current += command.slice(i, end + 1);
      i = end;
      continue;
    }
    if (c === "`") {
      const close = findUnescaped(command, "`", i + 1);
      const end = close < 0 ? command.length : close;
      nested.push(...splitBashCommand(command.slice(i + 1, end)));
      current += command.slice(i, end + 1);
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
      const end = matchingParen(command, i + 1);
      nested.push(...splitBashCommand(command.slice(i + 2, end)));
      current += command.slice(i, end + 1);
      i = end;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      current += c;
      continue;
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
  }
  flush();
  return [...out, ...nested];
}

/** Index of the `)` closing the `(` at `open`, honouring quotes and nesting; the end of the text if unclosed. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "\\") i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return text.length;
}

function findUnescaped(text: string, char: string, from: number): number {
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
