/**
 * Reading one word of a parsed bash command as bash would (see analyse.ts): quotes and escapes removed, `$'…'`
 * decoded, brace expansion applied (`{r,}m` → `rm m`), an unquoted `$IFS` splitting the word (as its default
 * value does). Parameter expansions and substitutions are not evaluated: they are kept as written and the word
 * is marked dynamic. Unquoted `*`, `?`, `[` mark it a glob.
 */
import type { Node } from "web-tree-sitter";
import { type Char, expandBraces } from "./braces.ts";

export type { Char } from "./braces.ts";

/** A word's value(s) after brace expansion and `$IFS` splitting (usually one). */
export interface WordValue {
  values: string[];
  /** It contains a parameter expansion or a command, process or arithmetic substitution. */
  dynamic: boolean;
  /** It contains an unquoted glob character. */
  glob: boolean;
}

/** A run of a word's text: quoted (or expanded) text is exempt from brace expansion and globbing; `split` is an unquoted `$IFS`. */
interface Segment {
  text: string;
  quoted: boolean;
  split?: boolean;
}

/** Marks an unquoted `$IFS` in character form: the word splits there. */
const SPLIT = "\u0000";
/** Longest word brace expansion is applied to; a longer one with an unquoted `{` is marked dynamic instead. */
const MAX_BRACE_WORD = 4096;

/** Reads `node` (any word-like node: word, string, concatenation, expansion, …) as bash would. */
export function readWord(node: Node): WordValue {
  const state = { dynamic: false };
  const segments: Segment[] = [];
  collect(node, segments, state);
  const value = readSegments(segments);
  return state.dynamic ? { ...value, dynamic: true } : value;
}

/** Segments to values: braces expanded (short words only, character by character), `$IFS` splits, globs noted. */
function readSegments(segments: Segment[]): WordValue {
  const hasBrace = segments.some((seg) => !seg.quoted && !seg.split && seg.text.includes("{"));
  if (hasBrace) {
    const length = segments.reduce((n, seg) => n + seg.text.length, 0);
    if (length <= MAX_BRACE_WORD) {
      const chars: Char[] = [];
      for (const seg of segments) {
        if (seg.split) chars.push({ c: SPLIT, quoted: false });
        else for (const c of seg.text) chars.push({ c, quoted: seg.quoted });
      }
      return readChars(chars);
    }
  }
  const values: string[] = [];
  let current = "";
  let started = false;
  let glob = false;
  for (const seg of segments) {
    if (seg.split) {
      if (started) values.push(current);
      current = "";
      started = false;
      continue;
    }
    if (!seg.quoted && /[*?[]/.test(seg.text)) glob = true;
    current += seg.text;
    started = true;
  }
  if (started || values.length === 0) values.push(current);
  // a long word with an unquoted `{` is not brace-expanded: its value is not known for sure
  return { values, dynamic: hasBrace, glob };
}

/** A word given as characters (quoted ones exempt from brace expansion and globbing), read as {@link readWord} does. */
export function readChars(chars: Char[]): WordValue {
  const state = { dynamic: false };
  const expanded =
    chars.length > MAX_BRACE_WORD
      ? chars.some((ch) => ch.c === "{" && !ch.quoted)
        ? undefined
        : [chars]
      : expandBraces(chars);
  if (expanded === undefined) state.dynamic = true;
  const values: string[] = [];
  let glob = false;
  for (const word of expanded ?? [chars]) {
    let current = "";
    let started = false;
    for (const { c, quoted } of word) {
      if (c === SPLIT && !quoted) {
        if (started) values.push(current);
        current = "";
        started = false;
        continue;
      }
      if (!quoted && (c === "*" || c === "?" || c === "[")) glob = true;
      current += c;
      started = true;
    }
    if (started || word.length === 0) values.push(current);
  }
  return { values, dynamic: state.dynamic, glob };
}

function push(out: Segment[], text: string, quoted: boolean): void {
  if (text !== "") out.push({ text, quoted });
}

function collect(node: Node, out: Segment[], state: { dynamic: boolean }): void {
  switch (node.type) {
    case "raw_string":
      push(out, node.text.slice(1, -1), true);
      return;
    case "ansi_c_string":
      push(out, decodeAnsiC(node.text.slice(2, -1)), true);
      return;
    case "string":
    case "translated_string":
      collectString(node, out, state);
      return;
    case "simple_expansion":
    case "expansion":
      if (/^\$(?:IFS|\{IFS\})$/.test(node.text)) {
        out.push({ text: "", quoted: false, split: true });
        return;
      }
      state.dynamic = true;
      push(out, node.text, true);
      return;
    case "command_substitution":
    case "process_substitution":
    case "arithmetic_expansion":
      state.dynamic = true;
      push(out, node.text, true);
      return;
    case "command_name":
    case "variable_assignment":
    case "concatenation": {
      let at = node.startIndex;
      const text = node.text;
      for (const child of node.children) {
        if (!child) continue;
        if (child.startIndex > at)
          unquoteBare(text.slice(at - node.startIndex, child.startIndex - node.startIndex), out);
        collect(child, out, state);
        at = child.endIndex;
      }
      if (at < node.endIndex) unquoteBare(text.slice(at - node.startIndex), out);
      return;
    }
    default:
      unquoteBare(node.text, out);
  }
}

/** An unquoted run of text: a backslash quotes the next character; backslash-newline disappears. */
function unquoteBare(text: string, out: Segment[]): void {
  if (!text.includes("\\")) {
    push(out, text, false);
    return;
  }
  let run = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      push(out, run, false);
      run = "";
      const next = text[++i]!;
      if (next !== "\n") push(out, next, true);
    } else run += c;
  }
  push(out, run, false);
}

/** A `"…"` string: gaps between expansions are literal, with `\"`, `\\`, `\$`, `` \` `` unescaped. */
function collectString(node: Node, out: Segment[], state: { dynamic: boolean }): void {
  const text = node.text;
  const open = text.startsWith('$"') ? 2 : 1;
  const start = node.startIndex + open;
  const end = node.endIndex - (text.endsWith('"') && text.length > open ? 1 : 0);
  let at = start;
  const literal = (from: number, to: number) => {
    const part = text.slice(from - node.startIndex, to - node.startIndex);
    push(
      out,
      part.replace(/\\(["\\$`\n])/g, (_, c: string) => (c === "\n" ? "" : c)),
      true,
    );
  };
  for (const child of node.namedChildren) {
    if (!child || child.startIndex < start || child.endIndex > end) continue;
    if (child.type === "string_content") continue; // read through the gaps, with its escapes
    if (child.startIndex > at) literal(at, child.startIndex);
    state.dynamic = true;
    push(out, child.text, true);
    at = child.endIndex;
  }
  if (end > at) literal(at, end);
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

/** The body of a `$'…'` string decoded as bash does (`\n`, `\x72`, `\u…`, octal, `\cX`). */
export function decodeAnsiC(body: string): string {
  let value = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\" || i + 1 >= body.length) {
      value += c;
      continue;
    }
    const e = body[++i]!;
    const code =
      /^x([0-9a-fA-F]{1,2})/.exec(body.slice(i, i + 3)) ??
      /^u([0-9a-fA-F]{1,4})/.exec(body.slice(i, i + 5)) ??
      /^U([0-9a-fA-F]{1,8})/.exec(body.slice(i, i + 9));
    const octal = /^[0-7]{1,3}/.exec(body.slice(i, i + 3));
    if (code) {
      value += String.fromCodePoint(Math.min(Number.parseInt(code[1]!, 16), 0x10ffff));
      i += code[0].length - 1;
    } else if (octal) {
      value += String.fromCharCode(Number.parseInt(octal[0], 8) & 0xff);
      i += octal[0].length - 1;
    } else if (e === "c" && i + 1 < body.length) {
      value += String.fromCharCode(body.charCodeAt(++i) & 0x1f);
    } else {
      value += ANSI_ESCAPES[e] ?? e;
    }
  }
  return value;
}
