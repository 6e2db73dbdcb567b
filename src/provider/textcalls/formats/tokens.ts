/**
 * Special tokens as models print them: `<|tool_call_begin|>` (ASCII bars) and DeepSeek's
 * `<｜tool▁calls▁begin｜>` (full-width bars U+FF5C, `▁` U+2581 between words; some servers render the
 * `▁` as a space or `_`). Both read as one canonical name (`tool_call_begin`, `tool_calls_begin`) so
 * one table serves every family.
 */

/** Longest token name read (characters); anything longer is not a special token. */
const MAX_TOKEN_NAME = 48;

/** A special token at some position: its canonical name and the index just past it. */
export interface SpecialToken {
  name: string;
  end: number;
}

const isBar = (ch: string | undefined): boolean => ch === "|" || ch === "｜";

/**
 * Reads the special token `<|name|>` / `<｜name｜>` opening at `at`. Returns the token, `"more"` when
 * the text ends inside what may still become one (only when `open`, i.e. more text can follow), or
 * `undefined` when the text at `at` is not a special token. The name is lowercased with `▁`, spaces
 * and `-` turned into `_`. O(MAX_TOKEN_NAME).
 */
export function readSpecialToken(text: string, at: number, open: boolean): SpecialToken | "more" | undefined {
  if (text[at] !== "<") return undefined;
  if (at + 1 >= text.length) return open ? "more" : undefined;
  if (!isBar(text[at + 1])) return undefined;
  const limit = Math.min(text.length, at + 2 + MAX_TOKEN_NAME + 2);
  for (let i = at + 2; i < limit; i++) {
    const ch = text[i] as string;
    if (isBar(ch)) {
      if (i + 1 >= text.length) return open ? "more" : undefined;
      if (text[i + 1] !== ">") return undefined;
      const raw = text.slice(at + 2, i);
      if (raw === "" || raw.length > MAX_TOKEN_NAME) return undefined;
      return { name: canonicalToken(raw), end: i + 2 };
    }
    if (ch === "<" || ch === ">" || ch === "\n") return undefined;
  }
  return open && limit === text.length ? "more" : undefined;
}

/** `tool▁calls▁begin` → `tool_calls_begin`. */
export function canonicalToken(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[▁\s-]+/g, "_");
}

/**
 * Tokens that only separate or close calls inside a call region (DeepSeek, Kimi-K2, Step-3, InternLM,
 * Llama): skipped between call items and after the last one.
 */
export const SEPARATOR_TOKENS = new Set([
  "tool_call_begin",
  "tool_call_end",
  "tool_calls_end",
  "tool_calls_section_end",
  "tool_call_end_section",
  "python_end",
  "eom_id",
  "eot_id",
  "end_of_text",
  "im_end",
  "action_end",
  "call",
  "end",
  "end_action",
  "tools_suffix",
  "tool_call_end_token",
  "role_sep",
  "tool_sep",
]);
