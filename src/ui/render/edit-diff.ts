import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { structuredPatch } from "diff";

/** One line of a diff as shown: context (` `), removed (`-`), added (`+`), or a hunk header (`@`). */
export interface DiffLine {
  kind: " " | "-" | "+" | "@";
  text: string;
}

/** A file change as lines to show, and how many were left out past the limit. */
export interface EditDiff {
  path: string;
  lines: DiffLine[];
  hidden: number;
  added: number;
  removed: number;
}

/** Lines of context around each change. */
const CONTEXT = 2;

/** `before` → `after` as unified-diff lines (2 lines of context), at most `limit` of them. */
export function diffTexts(path: string, before: string, after: string, limit = 40): EditDiff {
  const patch = structuredPatch(path, path, before, after, "", "", { context: CONTEXT });
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    lines.push({
      kind: "@",
      text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
    });
    for (const l of hunk.lines) {
      if (l.startsWith("\\")) continue;
      const kind = l[0] === "+" ? "+" : l[0] === "-" ? "-" : " ";
      if (kind === "+") added++;
      if (kind === "-") removed++;
      lines.push({ kind, text: l.slice(1) });
    }
  }
  return { path, lines: lines.slice(0, limit), hidden: Math.max(0, lines.length - limit), added, removed };
}

function readOr(root: string, path: string): string | undefined {
  try {
    return readFileSync(isAbsolute(path) ? path : join(root, path), "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The diff an fs_edit or fs_write call makes (or made), from its arguments: fs_edit's `old_string` → `new_string`
 * (the file read to place it, when it still holds the old text, else the two strings alone); fs_write's content
 * against the file as it is on disk (before the call runs: the change; after: nothing, so pass `before`).
 * Undefined for other tools or arguments that are not the tool's shape.
 */
export function editDiff(
  tool: string,
  rawArgs: string,
  root: string,
  before?: string,
  limit = 40,
): EditDiff | undefined {
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(rawArgs) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const path = typeof args.path === "string" ? args.path : undefined;
  if (!path) return undefined;
  if (tool === "fs_edit" && typeof args.old_string === "string" && typeof args.new_string === "string") {
    const file = before ?? readOr(root, path);
    if (file?.includes(args.old_string)) {
      const after =
        args.replace_all === true
          ? file.split(args.old_string).join(args.new_string)
          : file.replace(args.old_string, () => args.new_string as string);
      return diffTexts(path, file, after, limit);
    }
    return diffTexts(path, args.old_string, args.new_string, limit);
  }
  if (tool === "fs_write" && typeof args.content === "string") {
    return diffTexts(path, before ?? readOr(root, path) ?? "", args.content, limit);
  }
  return undefined;
}
