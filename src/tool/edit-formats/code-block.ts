import { stripLinePrefixes } from "../builtin/line-prefixes.ts";

/**
 * The code-block edit format: a small model replies with the fixed code in a fenced block, as it was trained to
 * answer, and owlet places it in the file. Qwen2.5-Coder-1.5B fixed 5 of 5 T1 bugs replying this way, where its
 * fs_edit calls invented their old_string (issue 8's probes); aider's "whole" and "diff-fenced" formats rest on
 * the same finding. Pure text functions: no I/O.
 */

/** One fenced block of a reply: its info string (` ```js stats.js` → `js stats.js`) and its body. */
export interface CodeBlock {
  info: string;
  body: string;
}

/** The fenced code blocks of `text`, in order (an unterminated last block counts up to the end of the text). */
export function codeBlocks(text: string): CodeBlock[] {
  const out: CodeBlock[] = [];
  const re = /^[ \t]*(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)(?:^[ \t]*\1[ \t]*$|(?![\s\S]))/gm;
  for (const m of text.matchAll(re)) {
    const body = m[3]!.replace(/\n$/, "");
    if (body.trim() !== "") out.push({ info: m[2]!.trim(), body });
  }
  return out;
}

/** A named definition in source text: a function, class, method or top-level binding, by lines (0-based). */
interface Definition {
  name: string;
  indent: number;
  /** First line (leading doc comment and decorators included when `withLeading`). */
  start: number;
  /** Line after the last. */
  end: number;
}

const JS_DEF =
  /^(\s*)(?:export\s+(?:default\s+)?)?(?:(?:async\s+)?function\*?\s+([\w$]+)|class\s+([\w$]+)|(?:const|let|var)\s+([\w$]+)\s*=)/;
const JS_METHOD = /^(\s+)(?:(?:async|static|get|set)\s+)*([\w$]+)\s*\([^)]*\)\s*\{\s*$/;
const PY_DEF = /^(\s*)(?:async\s+)?(?:def|class)\s+(\w+)/;
/** A Python module-level binding: `NAME = …` or `NAME: type = …` at column 0 (not `==`). */
const PY_BINDING = /^([A-Za-z_]\w*)\s*(?::[^=]+)?=(?!=)/;
const NOT_A_METHOD = new Set(["if", "for", "while", "switch", "catch", "function", "return", "with"]);

/** The definitions of `lines` in `language` ("py" or anything else for JS-like braces), outermost first. */
function definitions(lines: string[], language: "py" | "js"): Definition[] {
  const out: Definition[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let name: string | undefined;
    let indent = 0;
    if (language === "py") {
      const m = PY_DEF.exec(line);
      if (m) [indent, name] = [m[1]!.length, m[2]];
      else {
        const binding = PY_BINDING.exec(line);
        if (binding) {
          // a module-level binding ends where its brackets close (a dict literal's `}` sits at column 0)
          out.push({ name: binding[1]!, indent: 0, start: i, end: braceEnd(lines, i) });
          continue;
        }
      }
    } else {
      const m = JS_DEF.exec(line);
      const method = m ? undefined : JS_METHOD.exec(line);
      if (m) [indent, name] = [m[1]!.length, m[2] ?? m[3] ?? m[4]];
      else if (method && !NOT_A_METHOD.has(method[2]!)) [indent, name] = [method[1]!.length, method[2]];
    }
    if (!name) continue;
    const end = language === "py" ? pythonEnd(lines, i, indent) : braceEnd(lines, i);
    out.push({ name, indent, start: i, end });
  }
  return out;
}

/** Line after a Python block starting at `start`: the next non-blank line indented at most `indent`. */
function pythonEnd(lines: string[], start: number, indent: number): number {
  let last = start;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    if (line.length - line.trimStart().length <= indent) break;
    last = i;
  }
  return last + 1;
}

/**
 * Line after a JS definition starting at `start`: where its braces close again, or the line that ends its
 * statement (`;` or no open bracket) for a one-liner. Strings, template literals and comments are skipped
 * roughly (quotes on one line), enough for the code small models fix.
 */
function braceEnd(lines: string[], start: number): number {
  let depth = 0;
  let opened = false;
  for (let i = start; i < lines.length; i++) {
    const code = lines[i]!.replace(/\/\/.*$/, "").replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""');
    for (const ch of code) {
      if (ch === "{" || ch === "(" || ch === "[") {
        depth++;
        opened = true;
      } else if (ch === "}" || ch === ")" || ch === "]") depth--;
    }
    // a statement goes on past a line that ends in an operator (`const x =` / `a +`)
    if (depth <= 0 && (opened || !/[=+\-*/,(|&?:]\s*$/.test(code))) return i + 1;
  }
  return lines.length;
}

/** The doc comment and decorator lines right above line `start` (JSDoc, `//`, `#`, `@decorator`). */
function leadingStart(lines: string[], start: number): number {
  let i = start;
  while (i > 0) {
    const prev = lines[i - 1]!.trim();
    if (/^(?:\/\*\*|\*|\*\/|\/\/|#|@)/.test(prev) || (prev.endsWith("*/") && prev.startsWith("/*"))) i--;
    else break;
  }
  return i;
}

/** The names `text` defines (functions, classes, methods, top-level bindings), in order, each once. */
export function definedNames(text: string, language: "py" | "js"): string[] {
  return [...new Set(definitions(text.split("\n"), language).map((d) => d.name))];
}

/** The source of the last definition of `name` in `text`, its doc comment included, or undefined. */
export function definitionSource(text: string, name: string, language: "py" | "js"): string | undefined {
  const lines = text.split("\n");
  const def = definitions(lines, language)
    .filter((d) => d.name === name)
    .at(-1);
  return def ? lines.slice(leadingStart(lines, def.start), def.end).join("\n") : undefined;
}

/** Lines a definition slice holds at most (the focused function always; what it uses while room is left). */
export const SLICE_MAX_LINES = 80;
/** Levels of use followed from the focused function (it → a helper → the helper's constant). */
const SLICE_DEPTH = 2;

/**
 * The focused definition `name` of `file` with the top-level definitions it uses, from any of `files`
 * (constants, helpers, and what those use, up to two levels and {@link SLICE_MAX_LINES} lines), each with its doc
 * comment: a small model shown one function alone cannot see a wrong constant above it or a helper in another
 * file (issue 8's T1 wrong-constant and T3 tasks). One entry per file that contributes, in the order of `files`,
 * its definitions in file order. Undefined when `file` does not define `name`. Pure.
 */
export function definitionSlice(
  files: readonly { path: string; text: string }[],
  name: string,
  file: string,
): { path: string; text: string }[] | undefined {
  const parsed = files.map((f) => {
    const language = f.path.endsWith(".py") ? ("py" as const) : ("js" as const);
    const lines = f.text.split("\n");
    const all = definitions(lines, language);
    return { path: f.path, lines, all, defs: all.filter((d) => d.indent === 0) };
  });
  const home = parsed.find((f) => f.path === file);
  // the focused definition may be a method (indented); what it uses is top-level, or a method of its own file
  const root = home?.all.filter((d) => d.name === name).at(-1);
  if (!home || !root) return undefined;
  const usable = (f: (typeof parsed)[number]) =>
    f === home ? f.all.filter((d) => d !== root && !(d.start > root.start && d.end <= root.end)) : f.defs;
  const chosen = new Map<string, Set<Definition>>(parsed.map((f) => [f.path, new Set()]));
  chosen.get(file)!.add(root);
  const size = (f: (typeof parsed)[number], d: Definition) => d.end - leadingStart(f.lines, d.start);
  let lines = size(home, root);
  let level: { file: (typeof parsed)[number]; def: Definition }[] = [{ file: home, def: root }];
  for (let depth = 0; depth < SLICE_DEPTH && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { file: f, def } of level) {
      const body = f.lines.slice(def.start, def.end).join("\n");
      const used = new Set(body.match(/[A-Za-z_$][\w$]*/g) ?? []);
      used.delete(def.name);
      for (const other of parsed) {
        const defs = usable(other);
        for (const d of defs) {
          if (!used.has(d.name) || chosen.get(other.path)!.has(d)) continue;
          // the last definition of a name is the one that counts (as definitionSource)
          if (defs.filter((x) => x.name === d.name).at(-1) !== d) continue;
          // a method that uses a name is not the class around it
          if (d.start < root.start && d.end >= root.end) continue;
          if (lines + size(other, d) > SLICE_MAX_LINES) continue;
          chosen.get(other.path)!.add(d);
          lines += size(other, d);
          next.push({ file: other, def: d });
          used.delete(d.name);
        }
      }
    }
    level = next;
  }
  return parsed
    .filter((f) => chosen.get(f.path)!.size > 0)
    .map((f) => ({
      path: f.path,
      text: [...chosen.get(f.path)!]
        .sort((a, b) => a.start - b.start)
        .map((d) => f.lines.slice(leadingStart(f.lines, d.start), d.end).join("\n"))
        .join("\n\n"),
    }));
}

/** What placing a block in a file gives: the file's new text and what was replaced. */
export type Placement =
  | { kind: "whole"; content: string }
  | { kind: "definitions"; content: string; names: string[] }
  | { kind: "lines"; content: string; line: number };

/** Lines of the block that look alike in the file, at least, for a fragment to be placed by likeness (0–1). */
const FRAGMENT_LIKENESS = 0.5;

/**
 * Places a code block in a file's text, or returns undefined when it cannot be placed:
 * - a block that starts with the file's first line and defines all its top-level definitions replaces it whole,
 *   as does a block without definitions that holds ≥ 60% of the file's lines;
 * - a block with definitions replaces the file's definitions of the same names (the last of that name in the
 *   file when there are several), re-indented to the file's indentation; the doc comment above a definition goes
 *   with it when the block has one;
 * - a block of at most 5 lines without definitions replaces the run of lines it resembles most (by shared
 *   tokens, at least half), when one run resembles it best.
 * A JS definition keeps the file's `export` when the block left it out.
 * `language` is `py` for Python (indentation), anything else for brace languages. Line prefixes copied from
 * fs_read output are removed first. The result may equal the file (the model gave the code back unchanged).
 */
export function placeCodeBlock(file: string, block: string, language: "py" | "js"): Placement | undefined {
  const body = stripLinePrefixes(block) ?? block;
  const fileLines = file.split("\n");
  const blockLines = body.split("\n");
  const fileDefs = definitions(fileLines, language);
  const blockDefs = definitions(blockLines, language);
  const blockIndent = Math.min(...blockDefs.map((d) => d.indent), Number.POSITIVE_INFINITY);
  const topBlock = blockDefs.filter((d) => d.indent === blockIndent);
  const topFile = fileDefs.filter((d) => d.indent === 0);
  const shared = blockLines.filter((l) => l.trim() !== "" && fileLines.includes(l)).length;
  const firstLine = (lines: string[]) => lines.find((l) => l.trim() !== "")?.trim();
  // Whole only when the block starts where the file starts: a block of the file's one function must not drop
  // the imports above it.
  const wholeLike =
    (topFile.length > 0 &&
      topFile.every((d) => topBlock.some((b) => b.name === d.name)) &&
      firstLine(fileLines) === firstLine(blockLines)) ||
    (topBlock.length === 0 && shared >= 0.6 * fileLines.filter((l) => l.trim() !== "").length);
  if (wholeLike && blockIndent === 0) {
    return { kind: "whole", content: file.endsWith("\n") && !body.endsWith("\n") ? `${body}\n` : body };
  }
  if (topBlock.length > 0) {
    const edits: { start: number; end: number; lines: string[]; name: string }[] = [];
    for (const def of topBlock) {
      const matches = fileDefs.filter((d) => d.name === def.name);
      const target = matches.at(-1);
      if (!target) continue;
      const shift = target.indent - def.indent;
      let blockStart = def.start;
      const blockLead = leadingStart(blockLines, def.start);
      let fileStart = target.start;
      if (blockLead < def.start) {
        blockStart = blockLead;
        fileStart = leadingStart(fileLines, target.start);
      }
      const lines = blockLines.slice(blockStart, def.end).map((l) => reindent(l, shift));
      // Keep the file's `export` when the block left it out (small models drop it, and the import then fails).
      const exported = /^\s*export\s+(?:default\s+)?/.exec(fileLines[target.start]!)?.[0].trimStart();
      const at = def.start - blockStart;
      if (language === "js" && exported && !/^\s*export\b/.test(lines[at]!))
        lines[at] = lines[at]!.replace(/^(\s*)/, `$1${exported}`);
      edits.push({ start: fileStart, end: target.end, lines, name: def.name });
    }
    if (edits.length === 0) return undefined;
    edits.sort((a, b) => b.start - a.start);
    const out = [...fileLines];
    for (const e of edits) out.splice(e.start, e.end - e.start, ...e.lines);
    return { kind: "definitions", content: out.join("\n"), names: edits.map((e) => e.name).reverse() };
  }
  return placeFragment(fileLines, blockLines);
}

/** A fragment (≤ 5 lines) put over the run of file lines it resembles most, or undefined. */
function placeFragment(fileLines: string[], blockLines: string[]): Placement | undefined {
  const fragment = blockLines.filter((l) => l.trim() !== "");
  if (fragment.length === 0 || fragment.length > 5) return undefined;
  let best = -1;
  let bestScore = 0;
  let tie = false;
  for (let i = 0; i + fragment.length <= fileLines.length; i++) {
    let score = 0;
    for (let k = 0; k < fragment.length; k++) score += likeness(fragment[k]!, fileLines[i + k]!);
    score /= fragment.length;
    if (score > bestScore + 1e-9) [best, bestScore, tie] = [i, score, false];
    else if (Math.abs(score - bestScore) < 1e-9) tie = true;
  }
  if (best < 0 || tie || bestScore < FRAGMENT_LIKENESS) return undefined;
  const shift = indentOf(fileLines[best]!) - indentOf(fragment[0]!);
  const out = [...fileLines];
  out.splice(best, fragment.length, ...fragment.map((l) => reindent(l, shift)));
  return { kind: "lines", content: out.join("\n"), line: best + 1 };
}

/** Share of tokens (words, numbers, operators) two lines have in common, 0–1. */
function likeness(a: string, b: string): number {
  const ta = a.match(/[\w$]+|[^\s\w]/g) ?? [];
  const tb = b.match(/[\w$]+|[^\s\w]/g) ?? [];
  if (ta.length === 0 || tb.length === 0) return 0;
  const rest = [...tb];
  let common = 0;
  for (const t of ta) {
    const at = rest.indexOf(t);
    if (at >= 0) {
      common++;
      rest.splice(at, 1);
    }
  }
  return (2 * common) / (ta.length + tb.length);
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function reindent(line: string, shift: number): string {
  if (shift === 0 || line.trim() === "") return line;
  if (shift > 0) return " ".repeat(shift) + line;
  const drop = Math.min(-shift, indentOf(line));
  return line.slice(drop);
}
