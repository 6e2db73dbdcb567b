/**
 * Argument bodies written as XML-ish tags, the shapes of several families:
 * - Qwen3-Coder / Qwen3-XML / Seed-OSS / Nemotron-3: `<parameter=k>v</parameter>`;
 * - MiniMax-M2, DeepSeek-V3.2 DSML, Step-3 steptml and Claude-style `<invoke>` blocks:
 *   `<parameter name="k">v</parameter>` (with an optional namespace prefix on the tag);
 * - GLM-4.5/4.7: `<arg_key>k</arg_key><arg_value>v</arg_value>`;
 * - tool-named tags (Cline/Roo style, claude-code-router#1340): `<k>v</k>` children.
 * All readers work on a complete body (a string) and never backtrack: each tag is found with indexOf.
 */
import { findValueEnd, repairJson } from "../repair.ts";

/**
 * A parameter value as text → a JSON value. One leading and one trailing newline are removed (the
 * layout models put around values). A value that is a whole JSON-ish object or array is parsed; a
 * number or boolean written canonically (`42`, `-1.5`, `true`; not `007` or `1.10`) becomes that
 * number or boolean, as vLLM's parsers convert schema-typed values; anything else stays a string.
 * `raw: true` keeps the text as a string (DeepSeek DSML `string="true"`).
 */
export function xmlValue(value: string, raw = false): unknown {
  const text = value.replace(/^\r?\n/, "").replace(/\r?\n$/, "");
  if (raw) return text;
  const trimmed = text.trim();
  if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && findValueEnd(trimmed, 0) === trimmed.length) {
    const parsed = repairJson(trimmed);
    if (parsed !== undefined) return parsed.value;
  }
  if (trimmed === "true") return true;
  if (trimmed === "false") return false;
  if (/^-?\d{1,15}(?:\.\d{1,15})?$/.test(trimmed) && String(Number(trimmed)) === trimmed)
    return Number(trimmed);
  return text;
}

/** Collects arguments; a key given more than once collects its values into an array. */
class Args {
  readonly value: Record<string, unknown> = {};
  private readonly repeated = new Set<string>();
  put(key: string, value: unknown): void {
    if (!(key in this.value)) this.value[key] = value;
    else if (this.repeated.has(key)) (this.value[key] as unknown[]).push(value);
    else {
      this.value[key] = [this.value[key], value];
      this.repeated.add(key);
    }
  }
  get size(): number {
    return Object.keys(this.value).length;
  }
}

/**
 * `<parameter=k>v</parameter>…` (closing tags optional, as small models drop them; a value then runs to
 * the next `<parameter=`). Keys may be quoted.
 */
export function argsFromEqualsParameters(body: string): Record<string, unknown> {
  const args = new Args();
  const opens: { key: string; start: number; end: number }[] = [];
  for (let at = body.indexOf("<parameter="); at >= 0; at = body.indexOf("<parameter=", at + 1)) {
    const gt = body.indexOf(">", at);
    if (gt < 0) break;
    const key = body
      .slice(at + "<parameter=".length, gt)
      .trim()
      .replace(/^["']|["']$/g, "");
    if (key === "" || /\s/.test(key)) continue;
    opens.push({ key, start: at, end: gt + 1 });
  }
  opens.forEach((open, n) => {
    const limit = opens[n + 1]?.start ?? body.length;
    let value = body.slice(open.end, limit);
    const close = value.indexOf("</parameter>");
    if (close >= 0) value = value.slice(0, close);
    else {
      // No closing tag: drop a closing function/tool tag that ends the body.
      value = value.replace(/<\/(?:function|tool_call|invoke)>\s*$/, "").trim();
    }
    args.put(open.key, xmlValue(value));
  });
  return args.value;
}

/**
 * `<parameter name="k">v</parameter>…` with the tag optionally prefixed (`<｜DSML｜parameter`,
 * `<steptml:parameter`). DSML's `string="true"` keeps the value as raw text; `string="false"` parses it.
 */
export function argsFromNamedParameters(body: string, prefix = ""): Record<string, unknown> {
  const args = new Args();
  const openTag = `<${prefix}parameter`;
  const closeTag = `</${prefix}parameter>`;
  let at = body.indexOf(openTag);
  while (at >= 0) {
    const gt = body.indexOf(">", at);
    if (gt < 0) break;
    const attrs = body.slice(at + openTag.length, gt);
    const name = /name\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/.exec(attrs);
    const close = body.indexOf(closeTag, gt);
    const next = body.indexOf(openTag, gt);
    const end = close >= 0 && (next < 0 || close < next) ? close : next >= 0 ? next : body.length;
    if (name) {
      const key = (name[1] ?? name[2] ?? name[3]) as string;
      const stringAttr = /string\s*=\s*["']?(true|false)/.exec(attrs)?.[1];
      args.put(key, xmlValue(body.slice(gt + 1, end), stringAttr === "true"));
    }
    at = next >= 0 && next >= end ? next : body.indexOf(openTag, end + 1);
  }
  return args.value;
}

/** GLM `<arg_key>k</arg_key>\s*<arg_value>v</arg_value>` pairs; `undefined` when none is found. */
export function argsFromArgKeys(body: string): Record<string, unknown> | undefined {
  const args = new Args();
  let found = false;
  // Each tag is searched for once past the previous match: linear even when tags never close.
  const next = (tag: string, from: number, cache: { at: number }): number => {
    if (cache.at === -1 || cache.at >= from) return cache.at === -1 ? -1 : cache.at;
    cache.at = body.indexOf(tag, from);
    return cache.at;
  };
  const keyEnds = { at: -2 };
  const values = { at: -2 };
  const valueEnds = { at: -2 };
  const keys = { at: -2 };
  let at = body.indexOf("<arg_key>");
  while (at >= 0) {
    const keyEnd = next("</arg_key>", at, keyEnds);
    if (keyEnd < 0) break;
    const key = body.slice(at + "<arg_key>".length, keyEnd).trim();
    const valueAt = next("<arg_value>", keyEnd, values);
    const nextKey = next("<arg_key>", keyEnd, keys);
    if (valueAt < 0 || (nextKey >= 0 && nextKey < valueAt)) {
      args.put(key, "");
      found = true;
      at = nextKey;
      continue;
    }
    let valueEnd = next("</arg_value>", valueAt, valueEnds);
    if (valueEnd < 0) valueEnd = nextKey >= 0 ? nextKey : body.length;
    args.put(key, xmlValue(body.slice(valueAt + "<arg_value>".length, valueEnd)));
    found = true;
    at = next("<arg_key>", valueEnd, keys);
  }
  return found ? args.value : undefined;
}

/**
 * Child elements `<k>v</k>` of a body (tool-named tags, `<arguments><path>…</path></arguments>`).
 * Only whitespace may lie between children; `undefined` when the body is not a run of children.
 * Values that themselves hold children stay text (models do not nest them in practice).
 */
export function argsFromChildTags(body: string): Record<string, unknown> | undefined {
  const args = new Args();
  let i = 0;
  let found = false;
  const tag = /<([A-Za-z_][\w.-]{0,63})\s*>/y;
  for (;;) {
    while (i < body.length && /\s/.test(body[i] as string)) i++;
    if (i >= body.length) break;
    tag.lastIndex = i;
    const m = tag.exec(body);
    if (!m) return undefined;
    const key = m[1] as string;
    const close = body.indexOf(`</${key}>`, tag.lastIndex);
    if (close < 0) return undefined;
    args.put(key, xmlValue(childText(body.slice(tag.lastIndex, close))));
    found = true;
    i = close + key.length + 3;
  }
  return found ? args.value : undefined;
}

/**
 * The text of a child element as written inside tool-named tags: a one-line value is trimmed
 * (`<path>\n  a.txt\n</path>` → `a.txt`); a multi-line value loses only its first newline and the
 * indentation before its closing tag, so file contents keep their own layout.
 */
function childText(raw: string): string {
  const inner = raw.trim();
  if (!inner.includes("\n")) return inner;
  return raw.replace(/^[ \t]*\r?\n/, "").replace(/\r?\n[ \t]*$/, "");
}

/**
 * Arguments of a tagged body in whatever shape it comes: JSON, `<parameter=…>`, `<parameter name=…>`,
 * `<arg_key>`, or child tags. Empty body → `{}`. `undefined` when none fits.
 */
export function argsFromAnyBody(body: string): Record<string, unknown> | undefined {
  const trimmed = body.trim();
  if (trimmed === "") return {};
  if (trimmed.startsWith("{")) {
    const parsed = repairJson(trimmed);
    if (parsed !== undefined && isRecord(parsed.value)) return parsed.value;
    return undefined;
  }
  if (trimmed.startsWith("<parameter=")) return argsFromEqualsParameters(trimmed);
  if (/^<parameter\s/.test(trimmed)) return argsFromNamedParameters(trimmed);
  if (trimmed.startsWith("<arg_key>")) return argsFromArgKeys(trimmed);
  return argsFromChildTags(trimmed);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
