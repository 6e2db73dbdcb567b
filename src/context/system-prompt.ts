import { COMPACT_DOCS_MAX_BYTES, capBytes, FULL_DOCS_MAX_BYTES } from "./project-docs.ts";

export { loadProjectDocs } from "./project-docs.ts";

/** Options of {@link systemPrompt}. */
export interface SystemPromptOptions {
  /** `full` for capable (cloud) models, `compact` for local/small models where every token counts. */
  variant: "full" | "compact";
  /** Workspace root shown to the model. */
  cwd: string;
  /** Date shown as `YYYY-MM-DD`; full variant default: today (UTC); compact: omitted unless given. */
  date?: string;
  /** Platform shown (e.g. `linux`); full variant default: `process.platform`; compact: omitted unless given. */
  platform?: string;
  /** Project instructions (loadProjectDocs); capped at 16 KiB (full) or 4 KiB (compact). */
  projectDocs?: string;
  /** Extra instructions appended last (e.g. the user's `--system` text). */
  extra?: string;
}

const FULL_RULES = [
  "You are owlet, a coding assistant working in the user's repository from a terminal.",
  "- Look before you act: read a file with fs_read before editing it; find code with fs_grep, fs_glob and fs_ls instead of guessing.",
  "- fs_edit replaces exact text: copy the old text from a fresh fs_read without the line numbers, character for character, with enough lines to match once.",
  "- Verify changes: run the tests or the relevant command with bash and read the output.",
  "- If a call fails, read the error and fix the cause; do not repeat the same failing call.",
  "- Paths are relative to the workspace root; stay inside it.",
  "- Be brief. No preamble. When done, say what you changed and how you checked it.",
].join("\n");

const COMPACT_RULES = [
  "You are owlet, a coding assistant in the user's repository. Use tools; never guess file contents.",
  "Work in steps: find the code, read it, fix it, run the tests with bash, then answer briefly.",
  "Read a file before changing it. fs_edit needs the exact old text, without line numbers.",
].join("\n");

/**
 * The system prompt for a turn. Lines: the rules of the variant, then `Workspace: <cwd>` (paths are relative to
 * it), date and platform (full always, compact only when given), the project docs under a heading, then `extra`.
 *
 * Sizes measured with the estimate counter (UTF-8 bytes / 4, without the 4-token message overhead), for
 * `cwd: "/home/user/project"`, no docs or extra: full (date `2026-11-22`, platform `linux`) = 188 tokens
 * (749 bytes; SmolLM2's own tokenizer: 199); compact = 57 tokens (226 bytes; SmolLM2: 59). The compact variant
 * is for local arms, where the system prompt
 * is paid on every request of a window of a few thousand tokens. As in gnoma (§6.3) the prompt names the working
 * directory; gnoma's system inventory and alias summary are left out to save tokens.
 */
export function systemPrompt(opts: SystemPromptOptions): string {
  const full = opts.variant === "full";
  const lines = [full ? FULL_RULES : COMPACT_RULES, `Workspace: ${opts.cwd}`];
  const date = opts.date ?? (full ? new Date().toISOString().slice(0, 10) : undefined);
  const platform = opts.platform ?? (full ? process.platform : undefined);
  const facts = [date && `Date: ${date}`, platform && `Platform: ${platform}`].filter(Boolean).join(". ");
  if (facts) lines.push(facts);
  const docs = opts.projectDocs?.trim();
  if (docs) {
    const capped = capBytes(docs, full ? FULL_DOCS_MAX_BYTES : COMPACT_DOCS_MAX_BYTES);
    lines.push(full ? `\nProject instructions:\n${capped}` : `Project notes:\n${capped}`);
  }
  const extra = opts.extra?.trim();
  if (extra) lines.push(full ? `\n${extra}` : extra);
  return lines.join("\n");
}
