/**
 * Call items: the pieces a call region is made of, whatever family wrote it. A region opened by a
 * marker (`<tool_call>`, `[TOOL_CALLS]`, `<|tool_calls_section_begin|>`, …; see scan.ts) is read as a
 * run of items separated by whitespace, `,`/`;` and separator tokens (tokens.ts). An item is one of:
 * - JSON: a call object or an array of them (`{"name", "arguments"}` and its variants, calls.ts);
 * - a Python-style call `name(k=v)` or list `[f(a=1), g()]` (pythonic, Llama-4, Olmo-3, LFM2);
 * - `<function=name>…</function>` (Qwen3-Coder/Qwen3-XML/Seed-OSS/Nemotron-3; Llama-3.1 with JSON);
 * - `<invoke name="x"><parameter name="k">v</parameter></invoke>` with an optional tag prefix
 *   (MiniMax-M2, DeepSeek-V3.2 `<｜DSML｜invoke`, Step-3 `<steptml:invoke`, Claude-style);
 * - `<function name="x">…</function>` / `<tool name="x">…</tool>` (attribute-named tags);
 * - `<tool_name>x</tool_name><arguments>…</arguments>` (also `<name>`, `<tool>`, `<function>` +
 *   `<parameters>`, `<args>`, `<input>`);
 * - a tag named after a known tool: `<read_file><path>a</path></read_file>` or `<bash>{"command":…}</bash>`;
 * - a name followed by its arguments: `name{…}` / `name {…}` / `name\n```json{…}```` (Mistral,
 *   FunctionGemma, DeepSeek-V3), `name<arg_key>…` (GLM-4.5/4.7), `name[ARGS]{…}` (Mistral v11),
 *   `functions.name:0<|tool_call_argument_begin|>{…}` (Kimi-K2), `name<｜tool▁sep｜>{…}` (DeepSeek-V3.1)
 *   and `function<｜tool▁sep｜>name\n```json…```` (DeepSeek-V3), `call:name{…}` (Gemma-4/FunctionGemma).
 * Every item must name a known tool (names.ts), else it is not an item and the region ends there.
 */
import {
  callFromGemma,
  callsFromPython,
  callsFromValue,
  findParenEnd,
  type ParsedCall,
  serialiseArguments,
} from "../calls.ts";
import { resolveToolName } from "../names.ts";
import { findValueEnd, repairJson } from "../repair.ts";
import type { ScanMemo } from "./memo.ts";
import { readSpecialToken, SEPARATOR_TOKENS } from "./tokens.ts";
import {
  argsFromAnyBody,
  argsFromArgKeys,
  argsFromChildTags,
  argsFromEqualsParameters,
  argsFromNamedParameters,
  xmlValue,
} from "./xml.ts";

/** How a run of items is read. */
export interface ItemContext {
  known: string[];
  /** More text may still arrive after `limit` (streaming, region not closed): uncertain → "more". */
  open: boolean;
  /**
   * The text ends at `limit` because the output was cut (max tokens, an aborted stream): a value left
   * unterminated there is a partial call, which is not returned.
   */
  cut: boolean;
  /** JSON items must carry an arguments key (bare JSON in prose). */
  requireArgs: boolean;
  /** The JSON is the whole message: arguments flattened beside the name count (calls.ts). */
  allowFlat?: boolean;
  /** Shared by every context of one scan (linear time on openers that never close). */
  memo?: ScanMemo;
  /**
   * Inside a call marker's region (default true): a known name alone (`<tool_call>get_time</tool_call>`)
   * is a call without arguments. Outside one (a line of prose) a name needs its arguments.
   */
  inRegion?: boolean;
}

/** One item: its calls and the index just past it. */
export interface Item {
  calls: ParsedCall[];
  end: number;
}

/** An item, `"more"` (the text may still become one), or `undefined` (not an item). */
export type ItemResult = Item | "more" | undefined;

/** Plain tags that only wrap or separate items inside a region. */
const SEPARATOR_TAGS = ["<tool_call>", "</tool_call>", "<function_call>", "</function_call>", "</s>"];

/** Result of reading a run of items. */
export interface Items {
  calls: ParsedCall[];
  /** Index just past the last item (and separator tokens right after it), or `start` with no items. */
  end: number;
  count: number;
}

/**
 * Reads items from `start` up to `limit`. Returns `"more"` when `ctx.open` and the run may continue.
 * Never throws; linear in the text read.
 */
export function readItems(text: string, start: number, limit: number, ctx: ItemContext): Items | "more" {
  const calls: ParsedCall[] = [];
  let end = start;
  let count = 0;
  for (;;) {
    const sep = skipSeparators(text, end, limit, ctx);
    if (sep === "more") return "more";
    if (sep.at >= limit) {
      if (ctx.open) return "more";
      if (count > 0) end = sep.afterTokens;
      break;
    }
    const item = readItem(text, sep.at, limit, ctx);
    if (item === "more") return "more";
    if (item === undefined) {
      if (count > 0) end = sep.afterTokens;
      break;
    }
    calls.push(...item.calls);
    end = item.end;
    count++;
  }
  return { calls, end, count };
}

/**
 * Skips whitespace, `,`, `;` and separator tokens/tags from `k`. `at`: the next other character;
 * `afterTokens`: just past the last separator token or tag (or `k`), so trailing whitespace and commas
 * after a region's last item stay in the visible text.
 */
function skipSeparators(
  text: string,
  k: number,
  limit: number,
  ctx: ItemContext,
): { at: number; afterTokens: number } | "more" {
  let at = k;
  let afterTokens = k;
  while (at < limit) {
    const ch = text[at] as string;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "," || ch === ";") {
      at++;
      continue;
    }
    if (ch !== "<") break;
    const token = readSpecialToken(text, at, ctx.open);
    if (token === "more") return "more";
    if (token !== undefined) {
      if (!SEPARATOR_TOKENS.has(token.name) && token.name !== "plugin") break;
      at = token.end;
      afterTokens = at;
      continue;
    }
    const tag = SEPARATOR_TAGS.find((t) => text.startsWith(t, at));
    if (tag !== undefined && at + tag.length <= limit) {
      at += tag.length;
      afterTokens = at;
      continue;
    }
    if (ctx.open && couldBecome(text, at, limit, SEPARATOR_TAGS)) return "more";
    break;
  }
  return { at, afterTokens };
}

/** True when the text from `at` to `limit` (the end of text) is a proper prefix of one of `tokens`. */
export function couldBecome(text: string, at: number, limit: number, tokens: readonly string[]): boolean {
  if (limit !== text.length) return false;
  const rest = text.slice(at, limit);
  return tokens.some((t) => t.length > rest.length && t.startsWith(rest));
}

/** Reads the item at `m` (a non-separator character). */
export function readItem(text: string, m: number, limit: number, ctx: ItemContext): ItemResult {
  const ch = text[m] as string;
  if (ch === "{") return jsonItem(text, m, limit, ctx);
  if (ch === "[") {
    const py = pythonListAt(text, m, limit, ctx);
    if (py !== undefined) return py;
    // An array of calls starts `[{` (whitespace allowed); `[TOOL]`, `[1, 2]` are not calls.
    let q = m + 1;
    while (q < limit && /\s/.test(text[q] as string)) q++;
    if (q >= limit) return ctx.open && limit === text.length ? "more" : undefined;
    if (text[q] !== "{") return undefined;
    return jsonItem(text, m, limit, ctx);
  }
  if (ch === "<") return tagItem(text, m, limit, ctx);
  if (/[A-Za-z_]/.test(ch)) return nameItem(text, m, limit, ctx);
  return undefined;
}

/**
 * End of the JSON-ish value opening at `m`: its end, "more" (open and not closed yet), `undefined`
 * (cut inside it), or `limit` (a closed region whose value lacks closing brackets: repair closes it).
 */
export function jsonEnd(
  text: string,
  m: number,
  limit: number,
  ctx: ItemContext,
): number | "more" | undefined {
  return bracketEnd(text, m, limit, ctx, "value", findValueEnd);
}

/**
 * The end of a bracketed value or call at `m` found by `find`, with the unclosed rules of `jsonEnd`.
 * Outside call markers, a value left unclosed to the end is remembered (memo.ts): later candidates
 * inside it are not values.
 */
function bracketEnd(
  text: string,
  m: number,
  limit: number,
  ctx: ItemContext,
  kind: "value" | "paren",
  find: (text: string, start: number, limit: number) => number | undefined,
): number | "more" | undefined {
  // Only for a scan to the end of a complete text; inside markers and out (the first unclosed value
  // is still repaired; later ones inside it are not values).
  const memo = limit === text.length && !ctx.open ? ctx.memo : undefined;
  if (memo?.insideUnclosed(kind, m)) return undefined;
  const end = find(text, m, limit);
  if (end !== undefined) return end;
  if (ctx.open) return "more";
  memo?.markUnclosed(kind, m);
  // An unclosed value is closed by repair; an unclosed Python call is not a call.
  if (ctx.cut || kind === "paren") return undefined;
  return limit;
}

/** `findParenEnd` bounded by `limit`. */
function parenEnd(text: string, start: number, limit: number): number | undefined {
  const end = findParenEnd(text, start);
  return end !== undefined && end <= limit ? end : undefined;
}

function jsonItem(text: string, m: number, limit: number, ctx: ItemContext): ItemResult {
  const end = jsonEnd(text, m, limit, ctx);
  if (end === "more" || end === undefined) return end;
  const repaired = repairJson(text.slice(m, end));
  if (repaired === undefined) return undefined;
  const calls = callsFromValue(repaired.value, ctx.known, ctx.requireArgs, ctx.allowFlat === true);
  return calls ? { calls, end } : undefined;
}

const PY_LIST = /\[\s*[A-Za-z_][\w.]*\s*\(/y;

/** `[f(a=1), g(b='x')]`: every call must name a known tool. */
function pythonListAt(text: string, m: number, limit: number, ctx: ItemContext): ItemResult {
  PY_LIST.lastIndex = m;
  if (!PY_LIST.test(text) || PY_LIST.lastIndex > limit) {
    if (ctx.open && limit === text.length && /^\[\s*[A-Za-z_]?[\w.]*\s*$/.test(text.slice(m, limit)))
      return "more";
    return undefined;
  }
  const end = jsonEnd(text, m, limit, ctx);
  if (end === "more" || end === undefined) return end;
  const calls = callsFromPython(text.slice(m, end), ctx.known);
  return calls ? { calls, end } : undefined;
}

/** Index of `needle` in `text` from `from`, only if it ends by `limit`; else -1. */
function indexWithin(text: string, needle: string, from: number, limit: number, memo?: ScanMemo): number {
  const at = memo ? memo.indexOf(text, needle, from) : text.indexOf(needle, from);
  return at >= 0 && at + needle.length <= limit ? at : -1;
}

/**
 * The end of a tag body that must close with `close`: the close's index, or (not closed) "more" when
 * open, `undefined` when cut, else `limit`.
 */
function bodyEnd(
  text: string,
  from: number,
  limit: number,
  close: string,
  ctx: ItemContext,
): number | "more" | undefined {
  const at = indexWithin(text, close, from, limit, ctx.memo);
  if (at >= 0) return at;
  if (ctx.open) return "more";
  if (ctx.cut) return undefined;
  return limit;
}

const INVOKE = /<(｜DSML｜|[A-Za-z_][\w-]*:)?invoke\s+name\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))\s*>/y;
const NAMED_ATTR =
  /<(function|tool|tool_call|call|tool_use|function_call)\s+name\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))\s*>/y;
const NAME_TAG = /<(tool_name|name|function_name|tool|function)\s*>/y;
const ARGS_TAG = /<(arguments|parameters|args|input|params|tool_input|argument)\s*>/y;
const PLAIN_TAG = /<([A-Za-z_][\w.-]{0,63})\s*>/y;
/** Prefixes of the tag items, for holding back a tag that is still arriving. */
const TAG_PREFIXES = [
  "<function=",
  "<invoke ",
  "<｜DSML｜invoke ",
  "<steptml:invoke ",
  "<function name",
  "<tool name",
  "<tool_name>",
  "<name>",
];

function tagItem(text: string, m: number, limit: number, ctx: ItemContext): ItemResult {
  if (text.startsWith("<function=", m)) return functionEqualsItem(text, m, limit, ctx);
  for (const [re, kind] of [
    [INVOKE, "invoke"],
    [NAMED_ATTR, "attr"],
  ] as const) {
    re.lastIndex = m;
    const match = re.exec(text);
    if (!match || re.lastIndex > limit) continue;
    const name = (match[2] ?? match[3] ?? match[4]) as string;
    const prefix = kind === "invoke" ? (match[1] ?? "") : "";
    const close = kind === "invoke" ? `</${prefix}invoke>` : `</${match[1]}>`;
    const stop = bodyEnd(text, re.lastIndex, limit, close, ctx);
    if (stop === "more" || stop === undefined) return stop;
    const resolved = resolveToolName(name, ctx.known);
    if (resolved === undefined) return undefined;
    const body = text.slice(re.lastIndex, stop);
    const args = kind === "invoke" ? argsFromNamedParameters(body, prefix) : argsFromAnyBody(body);
    if (args === undefined) return undefined;
    const end = stop === limit ? limit : stop + close.length;
    return { calls: [{ name: resolved, arguments: JSON.stringify(args) }], end };
  }
  NAME_TAG.lastIndex = m;
  const nameTag = NAME_TAG.exec(text);
  if (nameTag && NAME_TAG.lastIndex <= limit)
    return nameTagItem(text, nameTag[1] as string, NAME_TAG.lastIndex, limit, ctx);
  PLAIN_TAG.lastIndex = m;
  const plain = PLAIN_TAG.exec(text);
  if (plain && PLAIN_TAG.lastIndex <= limit) {
    const resolved = resolveToolName(plain[1] as string, ctx.known);
    if (resolved === undefined) return undefined;
    const close = `</${plain[1]}>`;
    const stop = bodyEnd(text, PLAIN_TAG.lastIndex, limit, close, ctx);
    if (stop === "more" || stop === undefined) return stop;
    // A tool-named tag never closed, outside any call marker, is not a call (`<bash>` in prose).
    if (stop === limit && ctx.inRegion === false) return undefined;
    const args = argsFromAnyBody(text.slice(PLAIN_TAG.lastIndex, stop));
    if (args === undefined) return undefined;
    return {
      calls: [{ name: resolved, arguments: JSON.stringify(args) }],
      end: stop === limit ? limit : stop + close.length,
    };
  }
  if (ctx.open && limit === text.length) {
    const rest = text.slice(m, limit);
    if (rest.length < 80 && !rest.includes(">") && !rest.includes("\n")) {
      if (
        couldBecome(text, m, limit, TAG_PREFIXES) ||
        /^<[A-Za-z_][\w.-]*$/.test(rest) ||
        /^<[A-Za-z_:｜DSML]*invoke\s/.test(rest) ||
        rest.startsWith("<function name") ||
        rest.startsWith("<tool name")
      )
        return "more";
    }
  }
  return undefined;
}

/** `<tool_name>x</tool_name>` then `<arguments>…</arguments>` (or nothing before the region's end). */
function nameTagItem(text: string, tag: string, from: number, limit: number, ctx: ItemContext): ItemResult {
  const close = `</${tag}>`;
  const nameEnd = bodyEnd(text, from, limit, close, ctx);
  if (nameEnd === "more" || nameEnd === undefined) return nameEnd;
  const rawName = text.slice(from, nameEnd).trim();
  if (rawName.length > 128 || rawName.includes("<")) return undefined;
  const name = resolveToolName(rawName, ctx.known);
  if (name === undefined) return undefined;
  let k = nameEnd === limit ? limit : nameEnd + close.length;
  while (k < limit && /\s/.test(text[k] as string)) k++;
  if (k >= limit) {
    if (ctx.open) return "more";
    return { calls: [{ name, arguments: "{}" }], end: k };
  }
  ARGS_TAG.lastIndex = k;
  const argsTag = ARGS_TAG.exec(text);
  if (!argsTag || ARGS_TAG.lastIndex > limit) {
    // `<tool>read_file</tool>\n<path>a.txt</path>`: the parameters as sibling tags.
    const children = childRun(text, k, limit);
    if (children !== undefined && Object.keys(children.args).length > 0)
      return { calls: [{ name, arguments: JSON.stringify(children.args) }], end: children.end };
    if (
      ctx.open &&
      couldBecome(text, k, limit, ["<arguments>", "<parameters>", "<args>", "<input>", "<params>"])
    )
      return "more";
    // Nothing else in a closed region: a call without arguments.
    return /^\s*$/.test(text.slice(k, limit)) || text.startsWith("</", k)
      ? { calls: [{ name, arguments: "{}" }], end: k }
      : undefined;
  }
  const argsClose = `</${argsTag[1]}>`;
  const stop = bodyEnd(text, ARGS_TAG.lastIndex, limit, argsClose, ctx);
  if (stop === "more" || stop === undefined) return stop;
  const args = argsFromAnyBody(text.slice(ARGS_TAG.lastIndex, stop));
  if (args === undefined) return undefined;
  return {
    calls: [{ name, arguments: JSON.stringify(args) }],
    end: stop === limit ? limit : stop + argsClose.length,
  };
}

/**
 * `<function=name>{json}</function>` (Llama) or `<function=name><parameter=k>v…</function>` (Qwen3-Coder;
 * closing tags optional: the body then ends at the next `<function=` or the region's end).
 */
function functionEqualsItem(text: string, m: number, limit: number, ctx: ItemContext): ItemResult {
  const k = m + "<function=".length;
  const gt = text.indexOf(">", k);
  if (gt < 0 || gt >= limit) return ctx.open && limit === text.length && limit - k < 130 ? "more" : undefined;
  const rawName = text
    .slice(k, gt)
    .trim()
    .replace(/^["']|["']$/g, "");
  if (!/^[\w.:-]+$/.test(rawName)) return undefined;
  const name = resolveToolName(rawName, ctx.known);
  let p = gt + 1;
  while (p < limit && /\s/.test(text[p] as string)) p++;
  if (p >= limit && ctx.open) return "more";
  if (text[p] === "{") {
    const stop = jsonEnd(text, p, limit, ctx);
    if (stop === "more" || stop === undefined) return stop;
    let end = stop;
    let q = stop;
    while (q < limit && /\s/.test(text[q] as string)) q++;
    if (text.startsWith("</function>", q)) end = q + "</function>".length;
    else if (ctx.open && couldBecome(text, q, limit, ["</function>"])) return "more";
    if (name === undefined) return undefined;
    const repaired = repairJson(text.slice(p, stop));
    return {
      calls: [{ name, arguments: repaired ? serialiseArguments(repaired.value) : text.slice(p, stop) }],
      end,
    };
  }
  const close = indexWithin(text, "</function>", p, limit, ctx.memo);
  const next = indexWithin(text, "<function=", p, limit, ctx.memo);
  let stop: number;
  let end: number;
  if (close >= 0 && (next < 0 || close < next)) {
    stop = close;
    end = close + "</function>".length;
  } else if (next >= 0) {
    stop = next;
    end = next;
  } else {
    if (ctx.open) return "more";
    if (ctx.cut) return undefined;
    stop = limit;
    end = limit;
  }
  if (name === undefined) return undefined;
  const body = text.slice(p, stop);
  if (body.trim() !== "" && !body.trimStart().startsWith("<parameter")) return undefined;
  const args = body.includes("<parameter=") ? argsFromEqualsParameters(body) : (argsFromAnyBody(body) ?? {});
  return { calls: [{ name, arguments: JSON.stringify(args) }], end };
}

const NAME = /[A-Za-z_][\w.-]{0,127}(?::\d+)?/y;

/** A name followed by its arguments (see the module comment). */
function nameItem(text: string, m: number, limit: number, ctx: ItemContext): ItemResult {
  NAME.lastIndex = m;
  if (!NAME.test(text)) return undefined;
  let p = Math.min(NAME.lastIndex, limit);
  if (p >= limit) return ctx.open ? "more" : argsAfterName(text, text.slice(m, p), p, limit, ctx);
  let rawName = text.slice(m, p);
  if (text[p] === "(") {
    // Python-style `name(k=v)` (also Gemma's `print(default_api.name(…))`).
    const close = bracketEnd(text, p, limit, ctx, "paren", parenEnd);
    if (close === "more" || close === undefined) return close;
    const calls = callsFromPython(text.slice(m, close), ctx.known);
    return calls ? { calls, end: close } : undefined;
  }
  if (rawName === "call" && text[p] === ":") {
    // Gemma 4 / FunctionGemma: the rest of the region is `call:name{…}`.
    const end = regionRest(text, m, limit, ctx);
    if (end === "more" || end === undefined) return end;
    const call = callFromGemma(text.slice(m, end), ctx.known);
    return call ? { calls: [call], end } : undefined;
  }
  // DeepSeek-V3: `function<｜tool▁sep｜>name\n```json\n{…}\n````; Kimi writes a space before its token.
  let t = p;
  while (t < limit && (text[t] === " " || text[t] === "\t")) t++;
  if (t >= limit && ctx.open) return "more";
  const sep = text[t] === "<" ? readSpecialToken(text, t, ctx.open) : undefined;
  if (sep === "more") return "more";
  if (sep !== undefined && sep.name === "tool_sep" && rawName === "function") {
    NAME.lastIndex = sep.end;
    if (!NAME.test(text)) return undefined;
    rawName = text.slice(sep.end, NAME.lastIndex);
    p = NAME.lastIndex;
    if (p >= limit) return ctx.open ? "more" : undefined;
    // Step-3 writes the name and then an `<steptml:invoke …>` block that names it again.
    let q = p;
    while (q < limit && /\s/.test(text[q] as string)) q++;
    if (q >= limit && ctx.open) return "more";
    if (text[q] === "<") return tagItem(text, q, limit, ctx);
    return argsAfterName(text, rawName, p, limit, ctx);
  }
  if (sep !== undefined && (sep.name === "tool_sep" || sep.name === "tool_call_argument_begin"))
    return argsAfterName(text, rawName, sep.end, limit, ctx);
  if (sep !== undefined) return undefined;
  return argsAfterName(text, rawName, p, limit, ctx);
}

/** End of a region body consumed whole: `limit` when the region is closed, else "more"/cut rules. */
function regionRest(text: string, _m: number, limit: number, ctx: ItemContext): number | "more" | undefined {
  if (limit < text.length) return limit;
  if (ctx.open) return "more";
  return ctx.cut ? undefined : limit;
}

function argsAfterName(
  text: string,
  rawName: string,
  p: number,
  limit: number,
  ctx: ItemContext,
): ItemResult {
  const name = resolveToolName(rawName.replace(/:\d+$/, ""), ctx.known);
  if (name === undefined) return undefined;
  let q = p;
  while (q < limit && (text[q] === " " || text[q] === "\t" || text[q] === "\n" || text[q] === "\r")) q++;
  if (q >= limit) {
    if (ctx.open) return "more";
    // A name alone is a call without arguments only inside a region that closed after it.
    return ctx.inRegion !== false && !ctx.cut && limit < text.length
      ? { calls: [{ name, arguments: "{}" }], end: q }
      : undefined;
  }
  if (text[q] === ":" && q === p) {
    q++;
    while (q < limit && (text[q] === " " || text[q] === "\t")) q++;
  }
  if (text.startsWith("[CALL_ID]", q)) {
    q += "[CALL_ID]".length;
    while (q < limit && /[\w-]/.test(text[q] as string)) q++;
  }
  if (text.startsWith("[ARGS]", q)) {
    q += "[ARGS]".length;
    while (q < limit && /\s/.test(text[q] as string)) q++;
  } else if (ctx.open && couldBecome(text, q, limit, ["[ARGS]", "[CALL_ID]", "```json", "<arg_key>"]))
    return "more";
  if (q >= limit) return ctx.open ? "more" : undefined;
  if (text.startsWith("<arg_key>", q)) return glmItem(text, name, q, limit, ctx);
  if (
    ctx.open &&
    limit === text.length &&
    q > p &&
    text[p] === " " &&
    /^[A-Za-z_][\w-]{0,63}$/.test(text.slice(q))
  )
    return "more";
  if (q > p && text[p] === " " && SHELL_KEY.test(text.slice(q, Math.min(limit, q + 66))))
    return shellItem(text, name, q, limit, ctx);
  let fenced = false;
  if (text.startsWith("```", q)) {
    const nl = text.indexOf("\n", q);
    if (nl < 0 || nl >= limit) return ctx.open ? "more" : undefined;
    if (!/^```(?:json\w*)?\s*$/.test(text.slice(q, nl))) return undefined;
    fenced = true;
    q = nl + 1;
    while (q < limit && /\s/.test(text[q] as string)) q++;
    if (q >= limit) return ctx.open ? "more" : undefined;
  }
  if (text[q] !== "{") return undefined;
  const stop = jsonEnd(text, q, limit, ctx);
  if (stop === "more" || stop === undefined) return stop;
  let end = stop;
  if (fenced) {
    let r = stop;
    while (r < limit && /\s/.test(text[r] as string)) r++;
    if (text.startsWith("```", r)) end = r + 3;
    else if (ctx.open && couldBecome(text, r, limit, ["```"])) return "more";
  }
  const repaired = repairJson(text.slice(q, stop));
  const args = repaired ? serialiseArguments(repaired.value) : text.slice(q, stop);
  return { calls: [{ name, arguments: args }], end };
}

/** GLM `name<arg_key>k</arg_key><arg_value>v</arg_value>…`: runs while pairs follow. */
function glmItem(text: string, name: string, q: number, limit: number, ctx: ItemContext): ItemResult {
  let end = q;
  for (;;) {
    let k = end;
    while (k < limit && /\s/.test(text[k] as string)) k++;
    if (!text.startsWith("<arg_key>", k)) {
      if (ctx.open && (k >= limit || couldBecome(text, k, limit, ["<arg_key>"]))) return "more";
      break;
    }
    const valueClose = indexWithin(text, "</arg_value>", k, limit, ctx.memo);
    const nextKey = indexWithin(text, "<arg_key>", k + 1, limit, ctx.memo);
    if (valueClose < 0 || (nextKey >= 0 && nextKey < valueClose)) {
      if (nextKey >= 0) {
        end = nextKey;
        continue;
      }
      if (ctx.open) return "more";
      if (ctx.cut) return undefined;
      end = limit;
      break;
    }
    end = valueClose + "</arg_value>".length;
  }
  const args = argsFromArgKeys(text.slice(q, end)) ?? {};
  return { calls: [{ name, arguments: JSON.stringify(args) }], end };
}

const SHELL_KEY = /^[A-Za-z_][\w-]{0,63}=/;
const SHELL_PAIR = /[ \t]*([A-Za-z_][\w-]{0,63})=(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([^\s"']+))/y;

/**
 * A shell-style call on one line: `read_file file="c:\\Users\\a.json" limit=20` (ollama/ollama-vscode#12).
 * Quoted values are kept raw (Windows paths keep their backslashes); bare values go through `xmlValue`.
 * The pairs must fill the rest of the line.
 */
function shellItem(text: string, name: string, q: number, limit: number, ctx: ItemContext): ItemResult {
  const nl = text.indexOf("\n", q);
  const lineEnd = nl >= 0 && nl < limit ? nl : limit;
  if (lineEnd === limit && ctx.open) return "more";
  if (lineEnd === limit && ctx.cut) return undefined;
  const args: Record<string, unknown> = {};
  let i = q;
  for (;;) {
    SHELL_PAIR.lastIndex = i;
    const m = SHELL_PAIR.exec(text);
    if (!m || SHELL_PAIR.lastIndex > lineEnd) break;
    const raw = m[2] !== undefined ? m[2].replace(/\\"/g, '"') : m[3];
    args[m[1] as string] = raw !== undefined ? raw : xmlValue(m[4] as string);
    i = SHELL_PAIR.lastIndex;
  }
  if (i === q || text.slice(i, lineEnd).trim() !== "") return undefined;
  return { calls: [{ name, arguments: JSON.stringify(args) }], end: lineEnd };
}

const CHILD_OPEN = /<([A-Za-z_][\w.-]{0,63})\s*>/y;

/**
 * A run of `<key>value</key>` elements from `k` (whitespace between): their arguments and the end of
 * the last one; `undefined` when none starts at `k`. Stops at the first thing that is not such an element.
 */
function childRun(
  text: string,
  k: number,
  limit: number,
): { args: Record<string, unknown>; end: number } | undefined {
  const body: string[] = [];
  let i = k;
  let end = k;
  for (;;) {
    while (i < limit && /\s/.test(text[i] as string)) i++;
    CHILD_OPEN.lastIndex = i;
    const m = CHILD_OPEN.exec(text);
    if (!m || CHILD_OPEN.lastIndex > limit || ARG_WRAPPERS.has(m[1] as string)) break;
    const close = text.indexOf(`</${m[1]}>`, CHILD_OPEN.lastIndex);
    if (close < 0 || close + (m[1] as string).length + 3 > limit) break;
    end = close + (m[1] as string).length + 3;
    body.push(text.slice(i, end));
    i = end;
  }
  if (body.length === 0) return undefined;
  const args = argsFromChildTags(body.join("\n"));
  return args === undefined ? undefined : { args, end };
}

/** Tags that wrap a whole call, never a parameter. */
const ARG_WRAPPERS = new Set([
  "tool_call",
  "tool_calls",
  "function_call",
  "tool_use",
  "invoke",
  "function",
  "tool",
]);
