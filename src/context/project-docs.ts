import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/**
 * Project instruction files read by {@link loadProjectDocs}, in order (paths relative to the project root):
 * `AGENTS.md` (the cross-tool convention), `CLAUDE.md` (Claude Code's), `.owlet/OWLET.md` (owlet's own).
 */
export const PROJECT_DOC_FILES = ["AGENTS.md", "CLAUDE.md", join(".owlet", "OWLET.md")] as const;
/** Instruction files looked for in the subdirectories between the project root and the working directory. */
export const SUBDIR_DOC_FILES = ["AGENTS.md", "CLAUDE.md"] as const;
/** The user's own instructions file, in owlet's user config directory. */
export const USER_DOC_FILE = "AGENTS.md";

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

/** A file's trimmed text, or undefined when it is missing, unreadable (a directory, no permission) or blank. */
function readDoc(path: string): string | undefined {
  try {
    const text = readFileSync(path, "utf8").trim();
    return text === "" ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * The project's instructions for the model: `AGENTS.md`, `CLAUDE.md`, then `.owlet/OWLET.md` at `root`, each present
 * file under a `# <file>` heading, joined by a blank line and capped at `maxBytes` (default
 * {@link FULL_DOCS_MAX_BYTES}) with {@link capBytes}. Undefined when no file exists or all are blank. An unreadable
 * file (permission, a directory in its place) is skipped. Like gnoma's prefix docs (§6.3: AGENTS.md, CLAUDE.md,
 * .gnoma/GNOMA.md), but placed in the system prompt rather than as a user/assistant pair.
 */
export function loadProjectDocs(root: string, maxBytes: number = FULL_DOCS_MAX_BYTES): string | undefined {
  const parts: string[] = [];
  for (const file of PROJECT_DOC_FILES) {
    const text = readDoc(join(root, file));
    if (text !== undefined) parts.push(`# ${file}\n${text}`);
  }
  if (parts.length === 0) return undefined;
  return capBytes(parts.join("\n\n"), maxBytes);
}

/** Where {@link loadInstructions} looks. Absolute paths. */
export interface InstructionSources {
  projectRoot: string;
  /** The directory the model works in (the workspace); its instruction files and those up to the root count. */
  cwd: string;
  /** owlet's user config directory (`~/.config/owlet`), for the user's own `AGENTS.md`; none when absent. */
  userDir?: string;
}

/** One instruction file found: its heading (a path) and trimmed text. */
export interface InstructionFile {
  heading: string;
  text: string;
}

/**
 * Every instruction file that applies, from the most general to the most specific (later ones win where they
 * disagree, as in Claude Code's memory files): the user's `~/.config/owlet/AGENTS.md`, the project root's files
 * (PROJECT_DOC_FILES), then, when the workspace is a subdirectory of the project, the nearest `AGENTS.md` and
 * `CLAUDE.md` between it and the root (the one closest to the workspace for each name), headed by their path
 * relative to the root. Missing, blank and unreadable files are skipped.
 */
export function findInstructions(src: InstructionSources): InstructionFile[] {
  const files: InstructionFile[] = [];
  if (src.userDir) {
    const text = readDoc(join(src.userDir, USER_DOC_FILE));
    if (text !== undefined)
      files.push({ heading: `~/.config/owlet/${USER_DOC_FILE} (the user's own)`, text });
  }
  const root = resolve(src.projectRoot);
  for (const file of PROJECT_DOC_FILES) {
    const text = readDoc(join(root, file));
    if (text !== undefined) files.push({ heading: file, text });
  }
  const cwd = resolve(src.cwd);
  const inside = relative(root, cwd);
  if (inside !== "" && !inside.startsWith("..") && !inside.startsWith(sep)) {
    for (const name of SUBDIR_DOC_FILES) {
      for (let dir = cwd; dir !== root && dir.startsWith(root + sep); dir = dirname(dir)) {
        const text = readDoc(join(dir, name));
        if (text === undefined) continue;
        files.push({ heading: relative(root, join(dir, name)), text });
        break;
      }
    }
  }
  return files;
}

/**
 * The instruction files (see findInstructions) as one text under `# <heading>` lines, within `maxBytes`: when they
 * are too long together, each file is cut (capBytes, with its note) to a fair share (the short ones whole, the
 * rest split evenly), so every file is still represented. Undefined when there is none.
 */
export function loadInstructions(
  src: InstructionSources,
  maxBytes: number = FULL_DOCS_MAX_BYTES,
): string | undefined {
  const parts = findInstructions(src).map((f) => `# ${f.heading}\n${f.text}`);
  return fitParts(parts, maxBytes);
}

/** `parts` joined by blank lines within `maxBytes`: each cut to a fair share when they do not fit together. */
export function fitParts(parts: string[], maxBytes: number): string | undefined {
  if (parts.length === 0) return undefined;
  const joined = parts.join("\n\n");
  if (Buffer.byteLength(joined) <= maxBytes) return joined;
  const order = parts.map((p, i) => ({ i, bytes: Buffer.byteLength(p) })).sort((a, b) => a.bytes - b.bytes);
  const out = new Array<string>(parts.length);
  // separators and the per-file cut notes (~50 bytes) come out of the budget first
  let left = Math.max(0, maxBytes - 2 * (parts.length - 1) - 60 * parts.length);
  for (const [k, { i, bytes }] of order.entries()) {
    const share = Math.floor(left / (order.length - k));
    out[i] = bytes <= share ? parts[i]! : capBytes(parts[i]!, share);
    left -= Math.min(bytes, share);
  }
  return out.join("\n\n");
}
