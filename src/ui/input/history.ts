import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Prompts kept in the history file; older ones are dropped when it is rewritten. */
export const HISTORY_LIMIT = 1000;

/**
 * The prompt history shared by every owlet session of this user (as a shell's history): one JSON string per line
 * in `file` (`<state dir>/history.jsonl`, mode 0600), newest last, at most {@link HISTORY_LIMIT}. Up/Down walk it
 * from the newest; the text being typed is kept as the draft and comes back past the newest entry. A prompt equal
 * to the newest entry is not added again. I/O errors are swallowed: a read-only home loses history, never a prompt.
 */
export class PromptHistory {
  private readonly file: string | undefined;
  private entries: string[];
  /** Position while walking: entries.length = the draft. */
  private index: number;
  private draft = "";

  /** Loads `file` (missing or unreadable: empty); undefined keeps the history in memory only. */
  constructor(file: string | undefined) {
    this.file = file;
    this.entries = file ? readEntries(file) : [];
    this.index = this.entries.length;
  }

  /** Every entry, oldest first (a copy). */
  all(): string[] {
    return [...this.entries];
  }

  /** Adds a submitted prompt (blank ones are ignored) and resets the walk. */
  add(prompt: string): void {
    this.index = this.entries.length;
    this.draft = "";
    if (!prompt.trim() || this.entries.at(-1) === prompt) return;
    this.entries.push(prompt);
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      if (this.entries.length > HISTORY_LIMIT) {
        this.entries = this.entries.slice(-HISTORY_LIMIT);
        writeFileSync(this.file, this.entries.map((e) => `${JSON.stringify(e)}\n`).join(""), { mode: 0o600 });
      } else appendFileSync(this.file, `${JSON.stringify(prompt)}\n`, { mode: 0o600 });
    } catch {
      // history is a convenience: a read-only state directory must not break the prompt
    }
    this.index = this.entries.length;
  }

  /** The previous (older) entry, `current` saved as the draft when the walk starts; undefined at the oldest. */
  previous(current: string): string | undefined {
    if (this.index === 0) return undefined;
    if (this.index === this.entries.length) this.draft = current;
    this.index--;
    return this.entries[this.index];
  }

  /** The next (newer) entry, or the draft past the newest; undefined when not walking. */
  next(): string | undefined {
    if (this.index >= this.entries.length) return undefined;
    this.index++;
    return this.index === this.entries.length ? this.draft : this.entries[this.index];
  }
}

function readEntries(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === "string") out.push(value);
    } catch {
      // a torn last line (two owlets appending at once) is skipped
    }
  }
  return out.slice(-HISTORY_LIMIT);
}
