import { readFileSync } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { z } from "zod";
import type { Tool, ToolOutput } from "../types.ts";
import { errorResult, fsFailureMessage, looksBinary, resolvePath } from "./common.ts";
import { stripLinePrefixes } from "./line-prefixes.ts";

/** Context lines around each change in the success excerpt (as gnoma's fs.edit). */
const CONTEXT_LINES = 3;
/** Hunks shown in the excerpt; further replacements are only counted. */
const MAX_HUNKS = 3;
/** Line numbers listed when old_string matches several times; further matches are only counted. */
const MAX_LISTED_MATCHES = 10;

const parameters = z.object({
  path: z.string().describe("file path"),
  old_string: z.string().describe("exact text to replace"),
  new_string: z.string().describe("replacement text"),
  replace_all: z.boolean().optional().describe("replace every match"),
});

/**
 * `fs_edit`: exact string replacement. Error results (isError) when the file is missing, old_string is
 * empty or equal to new_string, old_string is not found (with a hint, and the line of a match that
 * differs only in whitespace if there is one), or matches several times without `replace_all` (count and
 * the first 10 line numbers, in one pass however many matches there are), or the file is over `limits.maxFileBytes`
 * (the fs_read limit). An old_string carrying fs_read/fs_grep line-number prefixes matches without them (see
 * stripLinePrefixes). A CRLF file (first line ends in CRLF) also matches an LF old_string, and LF line
 * breaks in new_string are written as CRLF there. Every byte outside the replaced text is kept as it was (invalid
 * UTF-8 elsewhere in the file survives byte for byte: see replaceBytes). Success: `Edited <path>: N replacement(s)`
 * and diff-style hunks (`-`/`+`, 3 context lines). Metadata: `{ replacements }`.
 */
export const fsEdit: Tool<z.infer<typeof parameters>> = {
  name: "fs_edit",
  description: readFileSync(new URL("./fs_edit.md", import.meta.url), "utf8").trim(),
  parameters,
  category: "write",
  leanOmits: ["replace_all"],
  readOnly: false,
  destructive: false,
  async run(args, ctx): Promise<ToolOutput> {
    const resolved = await resolvePath(ctx, args.path, "write", "fs_edit");
    if (!resolved.ok) return resolved.result;
    const { abs, guard } = resolved;
    const shown = guard.relative(abs);
    if (args.old_string === "") {
      return errorResult("old_string is empty. To create or replace a whole file use fs_write.");
    }
    if (args.old_string === args.new_string) {
      return errorResult("old_string and new_string are identical, so the edit would change nothing.");
    }
    let buf: Buffer;
    try {
      const info = await stat(abs);
      if (!info.isFile()) return errorResult(`${shown} is not a regular file; fs_edit only edits files.`);
      if (info.size > ctx.limits.maxFileBytes) {
        return errorResult(
          `${shown} is ${info.size} bytes, over the ${ctx.limits.maxFileBytes}-byte edit limit (the same as fs_read's); ` +
            `nothing was changed. Edit it with bash instead (e.g. \`sed -i 's/old/new/' ${shown}\`).`,
        );
      }
      const edited = await ctx.files?.read(abs);
      buf = edited === undefined ? await readFile(abs) : Buffer.from(edited, "utf8");
    } catch (error) {
      const message = await fsFailureMessage(error, guard, abs, shown, "file");
      if (message) {
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        return errorResult(missing ? `${message} To create a new file use fs_write.` : message);
      }
      throw error;
    }
    if (looksBinary(buf)) return errorResult(`${shown} looks like a binary file; fs_edit only edits text.`);
    const unread = await ctx.reads?.refusal(abs, shown, "edit");
    if (unread) return errorResult(unread);
    const text = buf.toString("utf8");
    let oldString = args.old_string;
    let newString = args.new_string;
    let positions = findAll(text, oldString);
    const bareOld = positions.length === 0 ? stripLinePrefixes(oldString) : undefined;
    if (bareOld !== undefined && findAll(text, bareOld).length > 0) {
      // Line-number prefixes copied from fs_read/fs_grep output: match without them (and write without them).
      oldString = bareOld;
      newString = stripLinePrefixes(newString) ?? newString;
      positions = findAll(text, oldString);
    }
    if (
      positions.length === 0 &&
      text.includes("\r\n") &&
      oldString.includes("\n") &&
      !oldString.includes("\r")
    ) {
      oldString = oldString.replace(/\n/g, "\r\n");
      newString = newString.replace(/\r?\n/g, "\r\n");
      positions = findAll(text, oldString);
    }
    const firstBreak = text.indexOf("\n");
    if (firstBreak > 0 && text[firstBreak - 1] === "\r") newString = newString.replace(/\r?\n/g, "\r\n");
    if (positions.length === 0) {
      const near = whitespaceInsensitiveLine(text, args.old_string);
      const hint = near
        ? ` Line ${near} matches if whitespace is ignored: copy that text exactly (indentation included).`
        : "";
      return errorResult(
        `old_string was not found in ${shown}.${hint} Read the file with fs_read and copy the exact text, whitespace and indentation included (without the line-number prefix).`,
      );
    }
    if (positions.length > 1 && !args.replace_all) {
      const lines = linesOf(text, positions.slice(0, MAX_LISTED_MATCHES));
      const more = positions.length > MAX_LISTED_MATCHES ? ", …" : "";
      return errorResult(
        `old_string matches ${positions.length} times in ${shown} (lines ${lines.join(", ")}${more}). ` +
          "Include more surrounding lines in old_string so it matches once, or set replace_all to true.",
      );
    }
    const targets = args.replace_all ? positions : positions.slice(0, 1);
    const bytes = replaceBytes(buf, oldString, newString, args.replace_all === true, positions.length);
    if (!bytes) {
      return errorResult(
        `old_string in ${shown} spans bytes that are not valid UTF-8 (shown as \uFFFD); nothing was changed. ` +
          "Choose old_string from the text around them.",
      );
    }
    let updated = "";
    let from = 0;
    const newStarts: number[] = [];
    for (const p of targets) {
      updated += text.slice(from, p);
      newStarts.push(updated.length);
      updated += newString;
      from = p + oldString.length;
    }
    updated += text.slice(from);
    if (!(await ctx.files?.write(abs, bytes.toString("utf8")))) await writeFile(abs, bytes);
    await ctx.reads?.record(abs);
    const n = targets.length;
    const hunks = targets
      .slice(0, MAX_HUNKS)
      .map((p, i) => hunk(text, p, oldString.length, updated, newStarts[i]!, newString.length));
    const more = n > MAX_HUNKS ? `\n… ${n - MAX_HUNKS} more replacements not shown` : "";
    return {
      output: `Edited ${shown}: ${n} replacement${n === 1 ? "" : "s"}\n${hunks.join("\n")}${more}`,
      metadata: { replacements: n },
    };
  },
};

/**
 * The file's bytes with `oldString` replaced by `newString` (the first match, or all), found and replaced as UTF-8
 * bytes so every byte outside the matches is kept as it was, invalid UTF-8 included. Undefined when the byte
 * matches do not correspond to the `expected` text matches (the needle holds U+FFFD standing for invalid bytes).
 */
function replaceBytes(
  buf: Buffer,
  oldString: string,
  newString: string,
  all: boolean,
  expected: number,
): Buffer | undefined {
  const needle = Buffer.from(oldString, "utf8");
  const replacement = Buffer.from(newString, "utf8");
  const found: number[] = [];
  for (let i = buf.indexOf(needle); i !== -1; i = buf.indexOf(needle, i + needle.length)) found.push(i);
  if (found.length !== expected) return undefined;
  const parts: Buffer[] = [];
  let from = 0;
  for (const p of all ? found : found.slice(0, 1)) {
    parts.push(buf.subarray(from, p), replacement);
    from = p + needle.length;
  }
  parts.push(buf.subarray(from));
  return Buffer.concat(parts);
}

function findAll(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

/** 1-based line number of character offset `pos`. */
function lineOf(text: string, pos: number): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < pos; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** 1-based line numbers of the ascending character offsets `positions`, in one pass over `text`. */
function linesOf(text: string, positions: number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let i = text.indexOf("\n");
  for (const pos of positions) {
    while (i !== -1 && i < pos) {
      line++;
      i = text.indexOf("\n", i + 1);
    }
    out.push(line);
  }
  return out;
}

/** One hunk: the changed lines (`-` old, `+` new) with CONTEXT_LINES of unchanged lines around them. */
function hunk(
  before: string,
  oldPos: number,
  oldLen: number,
  after: string,
  newPos: number,
  newLen: number,
): string {
  const beforeLines = before.split("\n");
  const afterLines = after.split("\n");
  const oldFirst = lineOf(before, oldPos) - 1;
  const oldLast = lineOf(before, oldPos + Math.max(oldLen - 1, 0)) - 1;
  const newFirst = lineOf(after, newPos) - 1;
  const newLast = newLen === 0 ? newFirst : lineOf(after, newPos + newLen - 1) - 1;
  const out = [`@@ line ${newFirst + 1} @@`];
  for (let i = Math.max(0, newFirst - CONTEXT_LINES); i < newFirst; i++) out.push(`  ${afterLines[i]}`);
  for (let i = oldFirst; i <= oldLast; i++) out.push(`- ${beforeLines[i]}`);
  for (let i = newFirst; i <= newLast; i++) out.push(`+ ${afterLines[i]}`);
  const end = Math.min(afterLines.length, newLast + 1 + CONTEXT_LINES);
  for (let i = newLast + 1; i < end; i++) out.push(`  ${afterLines[i]}`);
  return out.join("\n");
}

/** First line (1-based) where `needle` matches when runs of whitespace are ignored, or undefined. */
function whitespaceInsensitiveLine(text: string, needle: string): number | undefined {
  const norm = (s: string) => s.trim().replace(/\s+/g, " ");
  const want = needle.split("\n").map(norm);
  while (want.length > 0 && want[want.length - 1] === "") want.pop();
  while (want.length > 0 && want[0] === "") want.shift();
  if (want.length === 0) return undefined;
  const lines = text.split("\n").map(norm);
  for (let i = 0; i + want.length <= lines.length; i++) {
    let ok = true;
    for (let j = 0; j < want.length && ok; j++) {
      const line = lines[i + j]!;
      const w = want[j]!;
      // first/last needle lines may be partial lines
      ok = j === 0 ? line.endsWith(w) : j === want.length - 1 ? line.startsWith(w) : line === w;
      if (want.length === 1) ok = line.includes(w);
    }
    if (ok) return i + 1;
  }
  return undefined;
}
