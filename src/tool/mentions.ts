import { walkFiles } from "./builtin/walk.ts";

/** Files attached from one prompt at most. */
export const MAX_MENTIONED_FILES = 3;
/** Workspace files looked at to resolve a bare file name (a larger workspace resolves fewer names). */
const MAX_WALKED_FILES = 5000;
/** A word that looks like a file name: an optional `@`, a path, a dot and an extension of 1–8 characters. */
const FILE_WORD = /@?((?:[\w.-]+\/)*[\w-][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,7})\b/g;

/**
 * The workspace files a prompt names (`fix the bug in stats.js`, `see @src/app.ts`), as workspace-relative
 * paths in the order the prompt names them, at most {@link MAX_MENTIONED_FILES}: a word naming a file by its
 * relative path, or by a base name that exactly one workspace file has (hidden, ignored and node_modules files
 * are not considered, as fs_glob does). Words that name no file are ignored. Never throws (an unreadable
 * workspace names nothing). Claude Code and aider attach files a prompt mentions in the same spirit.
 */
export async function mentionedFiles(prompt: string, workspaceRoot: string): Promise<string[]> {
  const words = [...new Set([...prompt.matchAll(FILE_WORD)].map((m) => m[1]!.replace(/^\.\//, "")))];
  if (words.length === 0) return [];
  const files: string[] = [];
  try {
    for await (const entry of walkFiles(workspaceRoot, workspaceRoot, {})) {
      if (!entry.isSymlink) files.push(entry.rel);
      if (files.length >= MAX_WALKED_FILES) break;
    }
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const word of words) {
    const exact = files.find((f) => f === word);
    const byName = files.filter((f) => f === word || f.endsWith(`/${word}`));
    const found = exact ?? (byName.length === 1 ? byName[0] : undefined);
    if (found && !out.includes(found)) out.push(found);
    if (out.length >= MAX_MENTIONED_FILES) break;
  }
  return out;
}
