import { parse } from "yaml";

/** A Markdown file split into its YAML front matter (an object; `{}` without one) and the body after it. */
export interface FrontMatterDoc {
  data: Record<string, unknown>;
  body: string;
}

/**
 * Splits `text` (a SKILL.md, a command or an agent file, Claude Code's formats) into front matter and body: a
 * first line `---`, YAML up to the next `---` line, then the body. Without front matter the whole text is the
 * body. Throws an Error naming `file` when the YAML is invalid or not a mapping.
 */
export function parseFrontMatter(text: string, file: string): FrontMatterDoc {
  const m = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { data: {}, body: text };
  let data: unknown;
  try {
    data = parse(m[1]!);
  } catch (err) {
    throw new Error(
      `${file}: invalid front matter (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`,
    );
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== "object" || Array.isArray(data))
    throw new Error(`${file}: front matter must be a mapping`);
  return { data: data as Record<string, unknown>, body: text.slice(m[0].length) };
}

/** A front-matter value as a list of strings: a YAML list, or a comma-separated string (`tools: Read, Grep`). */
export function stringList(value: unknown): string[] | undefined {
  if (Array.isArray(value))
    return value
      .map(String)
      .map((s) => s.trim())
      .filter(Boolean);
  if (typeof value === "string")
    return value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  return undefined;
}
