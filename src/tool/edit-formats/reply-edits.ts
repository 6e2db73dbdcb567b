import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { codeBlocks, definedNames, placeCodeBlock } from "./code-block.ts";

/** A tool call owlet makes for a model's code-block reply: an fs_edit or fs_write, arguments as JSON text. */
export interface ReplyEdit {
  name: "fs_edit" | "fs_write";
  arguments: string;
  path: string;
}

/** Why a reply gave no edit: no code block, no file it fits, or the same code as the file. */
export type ReplyEditsOutcome = { kind: "edits"; edits: ReplyEdit[] } | NoReplyEdits;

/** A reply that gave no edit (`cut`: stopped at the length limit, set by the caller), and the candidate files. */
export interface NoReplyEdits {
  kind: "none";
  reason: "no_code" | "not_placed" | "unchanged" | "cut";
  files: string[];
}

/**
 * The edits a model's reply in the code-block edit format makes (see placeCodeBlock): each fenced block goes
 * into the first of `candidates` (workspace-relative paths, most likely first) where it can be placed, or into
 * the candidate its info string names (` ```python discount.py`). An edit is an fs_edit of the replaced text
 * when that text occurs once in the file, else an fs_write of the whole new content; the engine runs it through
 * the normal tool path (permission gate, read ledger, events). Reads the candidates from `workspaceRoot`;
 * never throws (an unreadable candidate is skipped).
 */
export async function replyEdits(
  reply: string,
  candidates: readonly string[],
  workspaceRoot: string,
): Promise<ReplyEditsOutcome> {
  const blocks = codeBlocks(reply);
  if (blocks.length === 0) return { kind: "none", reason: "no_code", files: [...candidates] };
  const contents = new Map<string, string>();
  for (const path of candidates) {
    try {
      contents.set(path, await readFile(join(workspaceRoot, path), "utf8"));
    } catch {
      // skipped
    }
  }
  const originals = new Map(contents);
  let unchanged = false;
  for (const block of blocks) {
    const named = [...contents.keys()].filter((p) => block.info.split(/\s+/).some((w) => w && p.endsWith(w)));
    for (const path of named.length > 0 ? named : [...contents.keys()]) {
      const before = contents.get(path)!;
      const placed = placeCodeBlock(before, block.body, path.endsWith(".py") ? "py" : "js");
      if (!placed) continue;
      if (sameCode(placed.content, before)) {
        unchanged = true;
        break;
      }
      contents.set(path, placed.content);
      break;
    }
  }
  // one edit per file, from what it was to what all its blocks make of it
  const edits = [...contents]
    .filter(([path, text]) => originals.get(path) !== text)
    .map(([path, text]) => editFor(path, originals.get(path)!, text));
  if (edits.length > 0) return { kind: "edits", edits };
  return { kind: "none", reason: unchanged ? "unchanged" : "not_placed", files: [...contents.keys()] };
}

/**
 * Whether two texts of a file hold the same code: equal once comment-only lines (`//`, `/*`, `*`, `#`) and blank
 * lines are dropped and each line's indentation and runs of blanks are evened out. A reply that only re-wrapped
 * a doc comment changes nothing a check can see (issue 8's transcripts: Qwen2.5-Coder-0.5B split the first
 * one-line doc comment of the file into three lines in most first patch rounds, and each cost a check). Pure.
 */
export function sameCode(a: string, b: string): boolean {
  const code = (text: string) =>
    text
      .split("\n")
      .map((l) => l.trim().replace(/[ \t]+/g, " "))
      .filter((l) => l !== "" && !/^(?:\/\/|\/\*|\*|#)/.test(l))
      .join("\n");
  return a === b || code(a) === code(b);
}

/** The smallest single edit from `before` to `after`: the changed run of lines, widened until it is unique. */
function editFor(path: string, before: string, after: string): ReplyEdit {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a.at(-1 - tail) === b.at(-1 - tail)) tail++;
  for (let widen = 0; widen <= a.length; widen++) {
    const from = Math.max(0, head - widen);
    const oldText = a.slice(from, a.length - Math.max(0, tail - widen)).join("\n");
    const newText = b.slice(from, b.length - Math.max(0, tail - widen)).join("\n");
    if (oldText.trim() !== "" && before.split(oldText).length === 2) {
      return {
        name: "fs_edit",
        path,
        arguments: JSON.stringify({ path, old_string: oldText, new_string: newText }),
      };
    }
  }
  return { name: "fs_write", path, arguments: JSON.stringify({ path, content: after }) };
}

/**
 * The names `candidates` (workspace-relative paths) define, each with the first file that defines it. Reads
 * them from `workspaceRoot`; never throws (an unreadable file defines nothing).
 */
export async function namesDefinedIn(
  candidates: readonly string[],
  workspaceRoot: string,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of candidates) {
    const text = await readFile(join(workspaceRoot, path), "utf8").catch(() => "");
    for (const name of definedNames(text, path.endsWith(".py") ? "py" : "js"))
      if (!out.has(name)) out.set(name, path);
  }
  return out;
}

/** The text of each of `paths` (workspace-relative) as it is now, in order; an unreadable file is left out. */
export async function currentSources(
  paths: readonly string[],
  workspaceRoot: string,
): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  for (const path of paths) {
    const text = await readFile(join(workspaceRoot, path), "utf8").catch(() => undefined);
    if (text !== undefined) out.push({ path, text });
  }
  return out;
}
