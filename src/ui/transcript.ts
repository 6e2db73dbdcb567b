/** What the transcript shows: one entry per prompt, answer chunk, tool call, notice or turn summary. */
import type { Tone } from "./commands/types.ts";
import type { EditDiff } from "./render/edit-diff.ts";

/** One tool call as shown: a compact line, its result once it has one. */
export interface ToolEntry {
  id: number;
  kind: "tool";
  callId: string;
  name: string;
  /** The raw arguments text. */
  args: string;
  state: "running" | "ok" | "error" | "denied";
  output?: string;
  /** Set by the user's `!command` (shown with a `!`). */
  user?: boolean;
  /** The change an fs_edit/fs_write call makes, taken before it ran. */
  diff?: EditDiff;
}

/** An entry of the transcript. `id` is unique within a UI session (React keys). */
export type Entry =
  | { id: number; kind: "banner"; lines: string[] }
  | { id: number; kind: "user"; text: string }
  /** Markdown; `continued` when it goes on from the previous chunk (no bullet). */
  | { id: number; kind: "assistant"; text: string; continued: boolean }
  | { id: number; kind: "reasoning"; text: string }
  | ToolEntry
  | { id: number; kind: "notice"; text: string; tone: Tone }
  /** The end of a turn: its status and a one-line summary (rounds, tokens, time). */
  | { id: number; kind: "turn"; ok: boolean; text: string };

/**
 * Splits streamed markdown at its last paragraph break outside a code fence: the complete part can be printed for
 * good, the rest stays live. Returns [complete, rest]; complete is "" when there is no such break.
 */
export function splitCompleteMarkdown(text: string): [string, string] {
  let inFence = false;
  let cut = -1;
  let offset = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      // A closed fence is a block of its own: it may be printed once the line after it has started.
      if (!inFence) cut = offset + line.length + 1;
    } else if (!inFence && line.trim() === "" && i > 0) cut = offset + line.length + 1;
    offset += line.length + 1;
  }
  if (cut <= 0) return ["", text];
  return [text.slice(0, cut).replace(/\n+$/, ""), text.slice(cut).replace(/^\n+/, "")];
}
