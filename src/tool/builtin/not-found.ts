import path from "node:path";
import { distance } from "fastest-levenshtein";
import { walkFiles } from "./walk.ts";

/** What a missing path was meant to be: a file (fs_read, fs_edit), a directory, or either (fs_ls, fs_glob). */
export type PathKind = "file" | "dir" | "any";

/** Files looked at for suggestions before giving up (bounds the cost on a huge tree). */
export const SUGGESTION_SCAN_LIMIT = 5000;
/** Suggestions named in one message. */
export const MAX_SUGGESTIONS = 3;

/**
 * Workspace paths that look like what the model meant by the missing `abs`: first the same name elsewhere
 * (`src/math.js` for `math.js`), then names within a small edit distance (at most 2, or a third of the
 * name's length: `math.ts` for `math.js`, `utils/` for `util/`). `kind` picks files, directories or both
 * (a model listing `math.js` as a directory is best told the file exists).
 * Walks at most {@link SUGGESTION_SCAN_LIMIT} files of `root` (honouring .gitignore, see walkFiles) and returns
 * at most {@link MAX_SUGGESTIONS} workspace-relative `/`-separated paths (directories end in `/`), best first.
 */
export async function suggestPaths(root: string, abs: string, kind: PathKind): Promise<string[]> {
  const wanted = path.basename(abs).toLowerCase();
  if (wanted === "") return [];
  const wantedRel = path.relative(root, abs).split(path.sep).join("/").toLowerCase();
  const candidates = new Set<string>();
  let seen = 0;
  for await (const entry of walkFiles(root, root, {})) {
    if (++seen > SUGGESTION_SCAN_LIMIT) break;
    if (kind !== "dir") candidates.add(entry.rel);
    if (kind !== "file")
      for (let d = path.posix.dirname(entry.rel); d !== "."; d = path.posix.dirname(d))
        candidates.add(`${d}/`);
  }
  const maxDistance = Math.max(2, Math.floor(wanted.length / 3));
  const scored: { rel: string; score: number }[] = [];
  for (const rel of candidates) {
    const name = path.posix.basename(rel).toLowerCase(); // basename drops a trailing "/"
    const d = name === wanted ? 0 : distance(name, wanted);
    if (d > maxDistance) continue;
    // Prefer the same name, then closer names, then paths closer to what was asked.
    scored.push({ rel, score: d * 100 + distance(rel.toLowerCase(), wantedRel) });
  }
  scored.sort((a, b) => a.score - b.score || (a.rel < b.rel ? -1 : 1));
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.rel);
}

/**
 * The model-facing message for a missing file or directory: what is missing and, when the workspace holds
 * something close (see suggestPaths), "Did you mean …?", else how to look. Small models recover from a
 * concrete path far more often than from "use fs_ls".
 */
export async function notFoundMessage(
  root: string,
  abs: string,
  shown: string,
  kind: PathKind,
): Promise<string> {
  const what = kind === "file" ? "File" : kind === "dir" ? "Directory" : "Path";
  const suggestions = await suggestPaths(root, abs, kind).catch(() => []);
  if (suggestions.length > 0) return `${what} not found: ${shown}. Did you mean: ${suggestions.join(", ")}?`;
  return `${what} not found: ${shown}. Use fs_ls or fs_glob to find the right path.`;
}
