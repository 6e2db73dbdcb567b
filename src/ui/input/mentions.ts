import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { extname, isAbsolute, join, relative, sep } from "node:path";
import { findSensitiveFile } from "../../policy/index.ts";
import type { EditorState } from "./editor.ts";

/** Largest file an `@path` mention attaches, bytes; a larger one is named but not attached. */
export const MAX_ATTACHED_BYTES = 64 * 1024;
/** Completions offered for one `@` prefix. */
const MAX_COMPLETIONS = 8;
/** Directories completion does not descend into unless typed. */
const SKIPPED_DIRS = new Set([".git", "node_modules", ".owlet"]);

/** The `@mention` the cursor is in: where its `@` is and what follows it up to the cursor. */
export interface MentionAt {
  /** Offset of the `@`. */
  start: number;
  query: string;
}

/** The `@…` word that ends at the cursor (it starts the text or follows whitespace), or undefined. */
export function mentionAt(state: EditorState): MentionAt | undefined {
  const head = state.text.slice(0, state.cursor);
  const m = /(^|\s)@([^\s@]*)$/.exec(head);
  if (!m) return undefined;
  return { start: head.length - m[2]!.length - 1, query: m[2]! };
}

/**
 * Paths under `root` that complete `query` (workspace-relative, `/`-separated; directories end in `/`), the ones
 * whose name starts with the typed part first, then those containing it; dot-files only when the part starts with
 * a dot; `.git`, `node_modules` and `.owlet` left out. At most 8. A query leaving the workspace gives none.
 */
export function completePath(root: string, query: string): string[] {
  const slash = query.lastIndexOf("/");
  const dirPart = slash >= 0 ? query.slice(0, slash + 1) : "";
  const namePart = slash >= 0 ? query.slice(slash + 1) : query;
  if (isAbsolute(dirPart) || dirPart.split("/").includes("..")) return [];
  let names: { name: string; dir: boolean }[];
  try {
    names = readdirSync(join(root, dirPart), { withFileTypes: true }).map((d) => ({
      name: d.name,
      dir: d.isDirectory(),
    }));
  } catch {
    return [];
  }
  const lower = namePart.toLowerCase();
  const visible = names.filter(
    (n) =>
      (namePart.startsWith(".") || !n.name.startsWith(".")) && !(SKIPPED_DIRS.has(n.name) && namePart === ""),
  );
  const starts = visible.filter((n) => n.name.toLowerCase().startsWith(lower));
  const contains = visible.filter(
    (n) => !starts.includes(n) && lower && n.name.toLowerCase().includes(lower),
  );
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return [...starts.sort(byName), ...contains.sort(byName)]
    .slice(0, MAX_COMPLETIONS)
    .map((n) => `${dirPart}${n.name}${n.dir ? "/" : ""}`);
}

/** `state` with the mention at `mention` replaced by `@<path>` (a space after a file, none after a directory). */
export function acceptMention(state: EditorState, mention: MentionAt, path: string): EditorState {
  const insert = `@${path}${path.endsWith("/") ? "" : " "}`;
  const text = state.text.slice(0, mention.start) + insert + state.text.slice(state.cursor);
  return { text, cursor: mention.start + insert.length };
}

/** The prompt with its mentioned files attached, and what was attached or left out (and why). */
export interface ExpandedPrompt {
  prompt: string;
  attached: string[];
  skipped: { path: string; reason: string }[];
}

/**
 * Attaches every file an `@path` word of `text` names (as Claude Code's @-mentions): each existing regular file
 * inside `root` (after symlinks) is appended to the prompt in a fenced block headed by its path. Left out, with the
 * reason: paths outside the workspace, directories, files over {@link MAX_ATTACHED_BYTES}, binary files, and
 * files that hold secrets by name (`.env`, keys: the policy's protected reads, which always ask), which the model
 * may still read through fs_read after the user's approval. Words that name nothing (`@someone`) stay as text.
 */
export function expandMentions(text: string, root: string): ExpandedPrompt {
  const out: ExpandedPrompt = { prompt: text, attached: [], skipped: [] };
  const seen = new Set<string>();
  const blocks: string[] = [];
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return out;
  }
  for (const m of text.matchAll(/(?:^|\s)@([^\s@]+)/g)) {
    const path = m[1]!.replace(/[.,;:!?)]+$/, "");
    if (seen.has(path)) continue;
    seen.add(path);
    let real: string;
    try {
      real = realpathSync(isAbsolute(path) ? path : join(root, path));
    } catch {
      continue;
    }
    const rel = relative(realRoot, real);
    if (rel.startsWith("..") || isAbsolute(rel)) {
      out.skipped.push({ path, reason: "outside the workspace" });
      continue;
    }
    const info = statSync(real);
    if (!info.isFile()) {
      if (info.isDirectory()) out.skipped.push({ path, reason: "a directory (mention files)" });
      continue;
    }
    const posix = rel.split(sep).join("/");
    const secret = findSensitiveFile(posix);
    if (secret) {
      out.skipped.push({ path, reason: `it may hold secrets (${secret}); the model can ask to read it` });
      continue;
    }
    if (info.size > MAX_ATTACHED_BYTES) {
      out.skipped.push({
        path,
        reason: `over ${MAX_ATTACHED_BYTES / 1024} KiB; the model can read it with fs_read`,
      });
      continue;
    }
    const content = readFileSync(real);
    if (content.includes(0)) {
      out.skipped.push({ path, reason: "a binary file" });
      continue;
    }
    const lang = extname(posix).slice(1);
    blocks.push(`Contents of ${posix}:\n\`\`\`${lang}\n${content.toString("utf8").trimEnd()}\n\`\`\``);
    out.attached.push(posix);
  }
  if (blocks.length > 0) out.prompt = `${text}\n\n${blocks.join("\n\n")}`;
  return out;
}
