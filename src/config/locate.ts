import type { KeyPath } from "./errors.ts";

/** One line of a TOML file that defines a key or opens a table, with the full key path it names. */
interface LineEntry {
  path: (string | number)[];
  /** 1-based. */
  line: number;
}

/**
 * Parses a dotted TOML key (`a."b.c".d`) starting at `text[start]`. Returns the segments and the index after the
 * key, or undefined when no key starts there.
 */
function parseKey(text: string, start: number): { segments: string[]; end: number } | undefined {
  const segments: string[] = [];
  let i = start;
  for (;;) {
    while (text[i] === " " || text[i] === "\t") i++;
    const c = text[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== c) {
        if (c === '"' && text[j] === "\\" && j + 1 < text.length) {
          value += text[j + 1];
          j += 2;
        } else {
          value += text[j];
          j++;
        }
      }
      if (j >= text.length) return undefined;
      segments.push(value);
      i = j + 1;
    } else {
      const match = /^[A-Za-z0-9_-]+/.exec(text.slice(i));
      if (!match) return undefined;
      segments.push(match[0]);
      i += match[0].length;
    }
    while (text[i] === " " || text[i] === "\t") i++;
    if (text[i] !== ".") return { segments, end: i };
    i++;
  }
}

/** Lists the key-defining lines of a TOML text with their resolved paths (array-of-tables indices included). */
function scanLines(text: string): LineEntry[] {
  const entries: LineEntry[] = [];
  const arrayCounts = new Map<string, number>();
  let table: (string | number)[] = [];
  let inMultiline: '"""' | "'''" | undefined;

  const resolve = (segments: string[]): (string | number)[] => {
    const out: (string | number)[] = [];
    for (const segment of segments) {
      out.push(segment);
      const count = arrayCounts.get(JSON.stringify(out));
      if (count !== undefined) out.push(count - 1);
    }
    return out;
  };

  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (inMultiline) {
      if (raw.split(inMultiline).length % 2 === 0) inMultiline = undefined;
      return;
    }
    const trimmed = raw.trimStart();
    if (trimmed.startsWith("[[")) {
      const key = parseKey(trimmed, 2);
      if (!key) return;
      const parent = resolve(key.segments.slice(0, -1));
      const own = [...parent, key.segments[key.segments.length - 1]!];
      const id = JSON.stringify(own);
      const count = (arrayCounts.get(id) ?? 0) + 1;
      arrayCounts.set(id, count);
      table = [...own, count - 1];
      entries.push({ path: table, line });
    } else if (trimmed.startsWith("[")) {
      const key = parseKey(trimmed, 1);
      if (!key) return;
      table = resolve(key.segments);
      entries.push({ path: table, line });
    } else {
      const key = parseKey(trimmed, 0);
      if (!key || trimmed[key.end] !== "=") return;
      entries.push({ path: [...table, ...key.segments], line });
      const value = trimmed.slice(key.end + 1);
      for (const quote of ['"""', "'''"] as const) {
        if (value.split(quote).length % 2 === 0) {
          inMultiline = quote;
          break;
        }
      }
    }
  });
  return entries;
}

function startsWith(path: readonly (string | number)[], prefix: KeyPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

/**
 * The 1-based line of `text` (a TOML document) that defines `path`, found by scanning table headers and keys:
 * the first line defining the key itself (or a sub-key or sub-table of it), else the line of its nearest defined
 * ancestor (an inline table, an array, a `[[arms]]` header), else undefined. Heuristic, used only for error
 * messages; smol-toml reports positions for syntax errors only.
 */
export function findKeyLine(text: string, path: KeyPath): number | undefined {
  const entries = scanLines(text);
  const exact = entries.find((entry) => startsWith(entry.path, path));
  if (exact) return exact.line;
  let best: LineEntry | undefined;
  for (const entry of entries) {
    if (startsWith(path, entry.path) && (!best || entry.path.length > best.path.length)) best = entry;
  }
  return best?.line;
}
