import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Project instruction files read by {@link loadProjectDocs}, in order (paths relative to the project root). */
export const PROJECT_DOC_FILES = ["AGENTS.md", join(".owlet", "OWLET.md")] as const;

/** Cap on project docs in the full system prompt: 16 KiB. */
export const FULL_DOCS_MAX_BYTES = 16 * 1024;
/** Cap on project docs in the compact system prompt (small local models): 4 KiB. */
export const COMPACT_DOCS_MAX_BYTES = 4 * 1024;

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes (never inside a character) and appends a one-line note saying
 * how many bytes were left out. Returns `text` unchanged when it fits.
 */
export function capBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  const kept = bytes.subarray(0, end).toString("utf8");
  return `${kept}\n[project docs cut: ${bytes.length - end} more bytes not shown]`;
}

/**
 * The project's instructions for the model: `AGENTS.md`, then `.owlet/OWLET.md`, each present file under a
 * `# <file>` heading, joined by a blank line and capped at `maxBytes` (default {@link FULL_DOCS_MAX_BYTES})
 * with {@link capBytes}. Undefined when neither file exists or both are blank. An unreadable file (permission,
 * a directory in its place) is skipped. Like gnoma's prefix docs (§6.3: AGENTS.md, CLAUDE.md, .gnoma/GNOMA.md),
 * but placed in the system prompt rather than as a user/assistant pair.
 */
export function loadProjectDocs(root: string, maxBytes: number = FULL_DOCS_MAX_BYTES): string | undefined {
  const parts: string[] = [];
  for (const file of PROJECT_DOC_FILES) {
    let text: string;
    try {
      text = readFileSync(join(root, file), "utf8");
    } catch {
      continue;
    }
    if (text.trim() === "") continue;
    parts.push(`# ${file}\n${text.trim()}`);
  }
  if (parts.length === 0) return undefined;
  return capBytes(parts.join("\n\n"), maxBytes);
}
