/**
 * The one scanner behind both the whole-text parser (parse.ts) and the stream parser
 * (stream-parser.ts), so the two agree by construction: the stream calls it with `final: false` on
 * what it holds and gets back how much it may release; the whole-text parser calls it once with
 * `final: true`.
 *
 * A call region starts at a marker (formats/markers.ts lists them with the family and the source of
 * each) and is read as a run of call items (formats/items.ts). Regions are:
 * - closed by a tag or token (`<tool_call>…</tool_call>`, `<｜tool▁calls▁begin｜>…<｜tool▁calls▁end｜>`,
 *   `[TOOL_REQUEST]…[END_TOOL_REQUEST]`, …; an unclosed one ends at the next same marker or the end);
 * - open (`[TOOL_CALLS]`, `<|python_tag|>`, `<|tool_call|>`, `<function_call>`, `functools[`, `>>>`):
 *   as many items as follow;
 * - a call item on its own (`<function=…>`, `<invoke name=…>`, a tag named after a known tool);
 * - harmony (gpt-oss) messages `<|channel|>commentary to=functions.x <|constrain|>json<|message|>{…}<|call|>`;
 * - fenced blocks whose body is only calls (not after a cue such as "for example");
 * - bare JSON `{…}`/`[{…}]` (with an arguments key, or flattened when it is the whole message) or a
 *   Python-style call starting a line (or after `</think>`, or right after a call), again not after an
 *   example cue; shell-style `name key="value"` lines; ReAct `Action:`/`Action Input:` lines;
 * - invented wrappers (`<toolcall>`, `[TOOL]…[/TOOL]`, VCP `<<<[TOOL_REQUEST]>>>` key-value bodies) and
 *   bracketed pseudo-calls (`[Calling tool: name | Arguments: {…}]`).
 * Calls inside a `<think>` block that closes later are reasoning, not calls. Each call only counts when
 * it names a known tool; otherwise its text stays visible. Searches for closing tags are memoised per
 * scan (formats/memo.ts), so text full of openers that never close costs linear time.
 */
import { callsFromPython, findParenEnd, type ParsedCall } from "./calls.ts";
import { scanHarmony } from "./formats/harmony.ts";
import { couldBecome, type ItemContext, jsonEnd, readItem, readItems } from "./formats/items.ts";
import { callFromKeyValues } from "./formats/keyvalue.ts";
import { CLOSED_MARKERS, type ClosedMarker, EXAMPLE_CUE, OPEN_MARKERS } from "./formats/markers.ts";
import { ScanMemo } from "./formats/memo.ts";
import { readSpecialToken } from "./formats/tokens.ts";
import { resolveToolName } from "./names.ts";
import { repairJson } from "./repair.ts";

/** Scanner state carried between calls on consecutive pieces of one text. */
export interface ScanState {
  /** True when the next character starts a line (only spaces/tabs since the last newline, or text start). */
  lineStart: boolean;
  /** True inside a fenced code block whose body is not calls (its text passes through). */
  inTextFence: boolean;
  /** True when only whitespace (or `,`/`;`) follows the last call: a `{` here may be the next bare call. */
  afterCall: boolean;
  /** The last characters of the text before this piece (raw), for example cues. */
  tail?: string;
  /** True inside a reasoning block (`<think>` … `</think>`) that has not closed yet. */
  inThink?: boolean;
}

/** Output of one scan: visible text pieces, parsed calls, and how many characters were consumed. */
export interface ScanResult {
  pieces: string[];
  calls: ParsedCall[];
  /** Characters of the input consumed; the rest must be kept and rescanned with more text. */
  consumed: number;
  state: ScanState;
}

type Region =
  | { kind: "more" }
  | { kind: "calls"; end: number; calls: ParsedCall[]; standalone?: boolean }
  | { kind: "text"; end: number }
  | { kind: "fence"; end: number };

const MORE: Region = { kind: "more" };
/** Reasoning block tags (DeepSeek-R1/Qwen3 `<think>`, Seed-OSS `<seed:think>`, `<thinking>`). */
const THINK_TAGS = ["<think>", "</think>", "<seed:think>", "</seed:think>", "<thinking>", "</thinking>"];
/** Special tokens that end a message; removed where they are left in the visible text. */
const DROP_TOKENS = new Set([
  "end",
  "return",
  "call",
  "im_end",
  "eot_id",
  "eom_id",
  "end_of_text",
  "endoftext",
]);
/** Characters of preceding text kept for the example-cue check. */
const TAIL = 200;

/** Marker texts (plain) that may open a region anywhere, for holding back a partial marker. */
const PLAIN_OPENERS = [
  ...CLOSED_MARKERS.filter((m) => !m.token).map((m) => m.open),
  ...OPEN_MARKERS.filter((m) => !m.token).map((m) => m.open),
  "```",
];

/** Plain markers by their first two characters, for a quick lookup at each candidate. */
function byKey<T extends { open: string; token?: boolean }>(markers: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const m of markers) {
    if (m.token) continue;
    const key = m.open.slice(0, 2);
    map.set(key, [...(map.get(key) ?? []), m]);
  }
  return map;
}
const PLAIN_CLOSED_BY_KEY = byKey(CLOSED_MARKERS);
const PLAIN_OPEN_BY_KEY = byKey(OPEN_MARKERS);
const LONGEST_OPENER = Math.max(...PLAIN_OPENERS.map((o) => o.length));

/** The state at the start of a text. */
export function initialScanState(): ScanState {
  return { lineStart: true, inTextFence: false, afterCall: false, tail: "", inThink: false };
}

/**
 * Scans `text` from its start (which has `state`) for tool calls. With `final: false` it stops before
 * anything that may still turn out to be (part of) a call and reports how much it consumed; with
 * `final: true` it consumes everything, closing unterminated calls at the end — unless `cut` (the
 * output was cut off, e.g. at max tokens), when a call still unterminated at the end is partial and
 * stays text instead of being returned.
 */
export function scanText(
  text: string,
  state: ScanState,
  known: string[],
  final: boolean,
  cut = false,
): ScanResult {
  const pieces: string[] = [];
  const calls: ParsedCall[] = [];
  let inTextFence = state.inTextFence;
  let inThink = state.inThink === true;
  let textStart = 0;
  let i = 0;
  let consumed = text.length;
  /** End of the last call region in `text`, or -1. */
  let lastCallEnd = -1;
  const tail = state.tail ?? "";
  const afterCallAt = (pos: number): boolean => {
    if (lastCallEnd < 0 && !state.afterCall) return false;
    for (let p = Math.max(lastCallEnd, 0); p < pos; p++) {
      const ch = text[p] as string;
      if (!(ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "," || ch === ";"))
        return false;
    }
    return true;
  };
  const lineStartAt = (pos: number): boolean => {
    for (let p = pos - 1; p >= 0; p--) {
      const ch = text[p];
      if (ch === "\n") return true;
      if (ch === ">" && p >= 7 && text.startsWith("</think>", p - 7)) return true;
      if (ch !== " " && ch !== "\t") return false;
    }
    return state.lineStart;
  };
  /** The raw text (up to TAIL characters) before `pos`, including what earlier pieces held. */
  const rawBefore = (pos: number): string =>
    pos >= TAIL ? text.slice(pos - TAIL, pos) : tail.slice(-(TAIL - pos)) + text.slice(0, pos);
  /** True when the prose right before `pos` introduces an example (not a call to run). */
  const exampleBefore = (pos: number): boolean => {
    const before = rawBefore(pos).trimEnd();
    const para = before.slice(before.lastIndexOf("\n\n") + 1);
    return EXAMPLE_CUE.test(para);
  };
  const memo = new ScanMemo();
  /** Index of the first non-whitespace character (a bare call is "the whole message" only before it). */
  const firstNonWs = text.search(/\S/);
  const ctx = (requireArgs: boolean, closed: boolean, inRegion = true): ItemContext => ({
    memo,
    known,
    open: !final && !closed,
    cut: cut && !closed,
    requireArgs,
    inRegion,
  });

  scan: while (i < text.length) {
    if (inTextFence) {
      const close = text.indexOf("```", i);
      if (close < 0) {
        if (!final) consumed = Math.max(i, text.length - partialSuffix(text, "```"));
        break;
      }
      i = close + 3;
      inTextFence = false;
      continue;
    }
    for (let j = nextCandidate(text, i, lineStartAt); j >= 0; j = nextCandidate(text, j + 1, lineStartAt)) {
      const ch = text[j] as string;
      const opener = ch === "<" || ch === "[" || ch === "`" || ch === "{";
      if (ch === "<") {
        const think = THINK_TAGS.find((t) => text.startsWith(t, j));
        if (think !== undefined) {
          inThink = think[1] !== "/";
          continue;
        }
      }
      let region: Region | undefined;
      if (opener) {
        region = scanMarkerAt(text, j, known, final, cut, ctx, exampleBefore, rawBefore);
        if (region?.kind === "calls" && region.standalone && exampleBefore(j))
          region = { kind: "text", end: region.end };
        if (region === undefined && (ch === "{" || ch === "[") && (lineStartAt(j) || afterCallAt(j))) {
          const wholeBefore = (firstNonWs < 0 || firstNonWs >= j) && (state.tail ?? "").trim() === "";
          region = scanBare(text, j, ctx(true, false, false), wholeBefore);
          if (region?.kind === "calls" && lineStartAt(j) && exampleBefore(j))
            region = { kind: "text", end: region.end };
        }
      } else if (lineStartAt(j) || (ch === ">" && text.startsWith(">>>", j) && afterCallAt(j))) {
        region = scanLineStart(text, j, ctx, final, known);
        if (region !== undefined && region.kind === "calls" && exampleBefore(j))
          region = { kind: "text", end: region.end };
      }
      if (region === undefined) continue;
      if (inThink && region.kind === "calls" && region.calls.length > 0) {
        // A call inside reasoning that closes later is the model thinking aloud (vLLM drops it too);
        // one in reasoning that never closes is the only call the model made.
        const end = region.end;
        const closes = THINK_TAGS.filter((t) => t[1] === "/").map((t) => memo.indexOf(text, t, end));
        if (closes.some((at) => at >= 0)) region = { kind: "text", end };
        else if (!final) region = MORE;
      }
      if (region.kind === "more") {
        consumed = j;
        break scan;
      }
      if (region.kind === "calls") {
        pieces.push(text.slice(textStart, j));
        calls.push(...region.calls);
        textStart = region.end;
        if (region.calls.length > 0) lastCallEnd = region.end;
      } else if (region.kind === "fence") inTextFence = true;
      i = Math.max(region.end, j + 1);
      continue scan;
    }
    break;
  }
  // A `</think>` still arriving decides whether the next character starts a line: hold it.
  if (!final && !inTextFence) {
    const partial = partialSuffix(text, "</think>");
    if (partial > 0) consumed = Math.max(textStart, Math.min(consumed, text.length - partial));
  }
  if (consumed > textStart) pieces.push(text.slice(textStart, consumed));
  const newTail =
    consumed >= TAIL ? text.slice(consumed - TAIL, consumed) : (tail + text.slice(0, consumed)).slice(-TAIL);
  return {
    pieces: pieces.filter((p) => p.length > 0),
    calls,
    consumed,
    state: {
      lineStart: lineStartAt(consumed),
      inTextFence,
      afterCall: afterCallAt(consumed),
      tail: newTail,
      inThink,
    },
  };
}

/**
 * Where a region may start: `<`, `[`, a backtick or `{` anywhere, and a letter, `_` or `>` where a
 * line starts (after a newline and indentation, or after `</think>`). Found with one native regex
 * search, so prose is skipped without a per-character loop.
 */
const CANDIDATE = /<\/think>[ \t]*[A-Za-z_>]|[<[`{]|\n[ \t]*[A-Za-z_>]|>>>/g;
const LINE_WORD = /[A-Za-z_>]/;

/** The next candidate position at or after `from`, or -1. */
function nextCandidate(text: string, from: number, lineStartAt: (pos: number) => boolean): number {
  if (from >= text.length) return -1;
  // A line that starts before `from` (or the text start) is not seen by the regex's `\n` branch.
  let p = from;
  while (p < text.length && (text[p] === " " || text[p] === "\t")) p++;
  if (p < text.length && LINE_WORD.test(text[p] as string) && lineStartAt(p)) return p;
  CANDIDATE.lastIndex = from;
  const m = CANDIDATE.exec(text);
  if (m === null) return -1;
  if (m[0] === ">>>") return m.index;
  const first = m[0].charCodeAt(0);
  return first === 10 || m[0].length > 1 ? m.index + m[0].length - 1 : m.index;
}

/** Length of the longest proper prefix of `token` that `text` ends with. */
function partialSuffix(text: string, token: string): number {
  for (let n = Math.min(token.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(token.slice(0, n))) return n;
  }
  return 0;
}

type Ctx = (requireArgs: boolean, closed: boolean, inRegion?: boolean) => ItemContext;

/** A region opened by a marker at `j`, or `undefined` when no marker starts there. */
function scanMarkerAt(
  text: string,
  j: number,
  known: string[],
  final: boolean,
  cut: boolean,
  ctx: Ctx,
  exampleBefore: (pos: number) => boolean,
  rawBefore: (pos: number) => string,
): Region | undefined {
  const ch = text[j];
  if (ch === "`") {
    if (!text.startsWith("```", j))
      return !final && couldBecome(text, j, text.length, ["```"]) ? MORE : undefined;
    return scanFence(text, j, final, ctx, () => exampleBefore(j));
  }
  if (ch === "<") {
    const token = readSpecialToken(text, j, !final);
    if (token === "more") return MORE;
    if (token !== undefined) {
      if (token.name === "channel" || token.name === "start") {
        const line = rawBefore(j);
        return scanHarmony(text, j, token.end, known, final, cut, line.slice(line.lastIndexOf("\n") + 1));
      }
      if (token.name === "recipient") return scanRecipient(text, token.end, ctx(false, false), final, known);
      // End-of-message tokens left in the text (harmony `<|end|>`, ChatML `<|im_end|>`) are not prose.
      if (DROP_TOKENS.has(token.name)) return { kind: "calls", end: token.end, calls: [] };
      const closed = CLOSED_MARKERS.find((m) => m.token && m.open === token.name);
      if (closed) return scanClosed(text, j, token.end, closed, ctx);
      const open = OPEN_MARKERS.find((m) => m.token && m.open === token.name);
      if (open) return scanOpen(text, token.end, ctx(open.requireArgs ?? false, false), token.end);
      return undefined;
    }
  }
  if (ch === "{") return undefined;
  const next = text[j + 1];
  // `a < b`, `[ ]`, `<<` in prose: nothing starts with these (VCP's `<<<[` is checked by its key).
  if (next === " " || next === "\n" || (next === undefined && final)) return undefined;
  const key = text.slice(j, j + 2);
  // `<|…` that is no special token nor a plain marker (Gemma 4 `<|tool_call>`, DeepSeek DSML): no call.
  if (
    (next === "|" || next === "｜") &&
    !PLAIN_CLOSED_BY_KEY.get(key)?.some((m) => text.startsWith(m.open, j))
  ) {
    const opens = PLAIN_CLOSED_BY_KEY.get(key)?.map((m) => m.open) ?? [];
    return !final && couldBecome(text, j, text.length, opens) ? MORE : undefined;
  }
  const closed = PLAIN_CLOSED_BY_KEY.get(key)?.find((m) => text.startsWith(m.open, j));
  if (closed) return scanClosed(text, j, j + closed.open.length, closed, ctx);
  const open = PLAIN_OPEN_BY_KEY.get(key)?.find((m) => text.startsWith(m.open, j));
  if (open)
    return scanOpen(text, j + open.open.length, ctx(open.requireArgs ?? false, false), j + open.open.length);
  if (!final && text.length - j < LONGEST_OPENER && couldBecome(text, j, text.length, PLAIN_OPENERS))
    return MORE;
  if (ch === "<") {
    // A call item on its own: `<function=…>`, `<invoke name=…>`, a tag named after a known tool.
    const items = readItems(text, j, text.length, ctx(false, false, false));
    if (items === "more") return MORE;
    if (items.count > 0 && items.calls.length > 0)
      return { kind: "calls", end: items.end, calls: items.calls, standalone: true };
  }
  if (ch === "[") {
    const pseudo = scanPseudoCall(text, j, final, ctx(false, false, false), known);
    if (pseudo !== undefined) return pseudo;
  }
  return scanGenericWrapper(text, j, final, ctx);
}

const PSEUDO_HEAD =
  /\[\s*(?:calling(?:\s+tool)?|call(?:ing)?|tool(?:\s*call)?|function(?:\s*call)?|using(?:\s+tool)?|use\s+tool|executing|running|invoking)\s*[:=]?\s*`?([A-Za-z_][\w.-]{0,80})`?/iy;
const PSEUDO_ARGS =
  /\s*(?:with\s+(?:arguments?|args|input|params)?|\|\s*arguments?|arguments?|args|input|params)?\s*[:=]?\s*/iy;

/**
 * Bracketed pseudo-calls, the announcements agent UIs print (`[Calling tool: read_file]`,
 * `[Calling tool: bash | Arguments: {"command": "ls"}]`, `[calling tool: f({…})]`) that models then
 * imitate: a known tool name, then nothing, a JSON object, or a Python-style argument list, then `]`.
 */
function scanPseudoCall(
  text: string,
  j: number,
  final: boolean,
  itemCtx: ItemContext,
  known: string[],
): Region | undefined {
  PSEUDO_HEAD.lastIndex = j;
  const head = PSEUDO_HEAD.exec(text);
  if (!head) {
    const rest = text.slice(j, j + 40);
    return !final && j + 40 > text.length && /^\[\s*[A-Za-z ]*:?\s*`?[\w.-]*$/i.test(rest) ? MORE : undefined;
  }
  const name = resolveToolName(head[1] as string, known);
  if (name === undefined) return undefined;
  let p = PSEUDO_HEAD.lastIndex;
  if (p >= text.length) return final ? undefined : MORE;
  let args = "{}";
  if (text[p] === "(") {
    const close = findParenEnd(text, p);
    if (close === undefined) return final ? undefined : MORE;
    const calls = callsFromPython(`${name}${text.slice(p, close)}`, known);
    if (!calls) return undefined;
    args = (calls[0] as ParsedCall).arguments;
    p = close;
  } else {
    PSEUDO_ARGS.lastIndex = p;
    PSEUDO_ARGS.exec(text);
    const q = PSEUDO_ARGS.lastIndex;
    if (text[q] === "{") {
      const end = jsonEnd(text, q, text.length, itemCtx);
      if (end === "more") return MORE;
      if (end === undefined) return undefined;
      const repaired = repairJson(text.slice(q, end));
      if (repaired === undefined || typeof repaired.value !== "object" || repaired.value === null)
        return undefined;
      args = JSON.stringify(repaired.value);
      p = end;
    } else if (q >= text.length) return final ? undefined : MORE;
  }
  while (p < text.length && (text[p] === " " || text[p] === "\t" || text[p] === ".")) p++;
  if (p >= text.length) return final ? undefined : MORE;
  if (text[p] !== "]") return undefined;
  return { kind: "calls", end: p + 1, calls: [{ name, arguments: args }] };
}

/** Wrapper words: a tag or bracket named with one of them may hold calls (`<toolcall>`, `[TOOL]`). */
const WRAPPER_TAG = /<([A-Za-z_][\w:.-]{0,40})>/y;
const WRAPPER_BRACKET = /\[([A-Za-z_][\w ]{0,30})\]/y;
const WRAPPER_WORD =
  /^(?:[\w.-]*:)?(?:use_?)?(?:tool|function|call|invoke|action)s?(?:[_ ]?(?:calls?|requests?|use|code|invocations?|blocks?))?$/i;

/**
 * Generic wrappers small models invent: `<toolcall>…</toolcall>`, `<tool_use>`, `<function_call>`,
 * `[TOOL]…[/TOOL]`, `[tool_request]…[END_TOOL_REQUEST]`. The body must hold call items (or key-value
 * lines for brackets); otherwise it is text. An unclosed wrapper waits for its close while streaming.
 */
function scanGenericWrapper(text: string, j: number, final: boolean, ctx: Ctx): Region | undefined {
  const bracket = text[j] === "[";
  if (!bracket && text[j] !== "<") return undefined;
  const re = bracket ? WRAPPER_BRACKET : WRAPPER_TAG;
  re.lastIndex = j;
  const m = re.exec(text);
  if (!m) {
    if (!final && text.length - j < 44 && !text.slice(j).includes("\n")) {
      const rest = text.slice(j + 1);
      if (bracket ? /^[A-Za-z_][\w ]*$/.test(rest) : /^[A-Za-z_][\w:.-]*$/.test(rest)) return MORE;
    }
    return undefined;
  }
  const word = m[1] as string;
  if (!WRAPPER_WORD.test(word.trim())) return undefined;
  // Brackets: `[TOOL]`, `[tool_call]`; not a Markdown link (`[tools](docs.md)`) or a plain word.
  if (bracket && (text[re.lastIndex] === "(" || !(word === word.toUpperCase() || word.includes("_"))))
    return undefined;
  const k = re.lastIndex;
  let closeAt = -1;
  let closeEnd = -1;
  if (bracket) {
    const esc = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/[ _]/g, "[ _]");
    const close = new RegExp(`\\[(?:/|END[ _]?|/END[ _]?)${esc}\\]`, "gi");
    const memo = ctx(false, true).memo as ScanMemo;
    closeAt = memo.find(`bracket:${word.toLowerCase()}`, k, () => {
      close.lastIndex = k;
      const c = close.exec(text);
      if (c) closeEnd = c.index + c[0].length;
      return c ? c.index : -1;
    });
  } else {
    closeAt = (ctx(false, true).memo as ScanMemo).indexOf(text, `</${word}>`, k);
    closeEnd = closeAt + word.length + 3;
  }
  if (closeAt < 0 && !final) return MORE;
  const bodyEnd = closeAt < 0 ? text.length : closeAt;
  const itemCtx = closeAt < 0 ? ctx(false, false) : ctx(false, true);
  const items = readItems(text, k, bodyEnd, itemCtx);
  if (items === "more") return MORE;
  if (items.calls.length > 0)
    return { kind: "calls", end: closeAt < 0 ? items.end : closeEnd, calls: items.calls };
  if (bracket && closeAt >= 0) {
    const call = callFromKeyValues(text.slice(k, closeAt), itemCtx.known);
    if (call) return { kind: "calls", end: closeEnd, calls: [call] };
  }
  return undefined;
}

/** A region with a closing marker: items up to the close (or the next same opener, or the end). */
function scanClosed(text: string, j: number, k: number, marker: ClosedMarker, ctx: Ctx): Region {
  const memo = ctx(false, true).memo as ScanMemo;
  const close = findClose(text, k, marker, memo);
  const next = marker.token
    ? findToken(text, k, [marker.open], memo)
    : { at: memo.indexOf(text, marker.open, k), end: -1 };
  if (close.at >= 0 && (next.at < 0 || close.at < next.at)) {
    const items = readItems(text, k, close.at, ctx(false, true));
    if (items === "more") return MORE; // cannot happen for a closed body
    if (items.calls.length > 0) return { kind: "calls", end: close.end, calls: items.calls };
    if (marker.family === "bracket") {
      const call = callFromKeyValues(text.slice(k, close.at), ctx(false, true).known);
      if (call) return { kind: "calls", end: close.end, calls: [call] };
    }
    return { kind: "text", end: close.end };
  }
  // Not closed yet: wait for the close (or the end of the text).
  if (next.at < 0 && ctx(false, false).open) return MORE;
  if (next.at >= 0) {
    const items = readItems(text, k, next.at, ctx(false, true));
    if (items === "more") return MORE;
    return items.calls.length > 0
      ? { kind: "calls", end: items.end, calls: items.calls }
      : { kind: "text", end: k };
  }
  const items = readItems(text, k, text.length, ctx(false, false));
  if (items === "more") return MORE;
  return items.calls.length > 0
    ? { kind: "calls", end: items.end, calls: items.calls }
    : { kind: "text", end: Math.max(k, j + 1) };
}

/** A region without a closing marker: as many items as follow. */
function scanOpen(text: string, k: number, itemCtx: ItemContext, fallbackEnd: number): Region {
  const items = readItems(text, k, text.length, itemCtx);
  if (items === "more") return MORE;
  return items.calls.length > 0
    ? { kind: "calls", end: items.end, calls: items.calls }
    : { kind: "text", end: fallbackEnd };
}

/** The first closing marker of `marker` from `k`: its index and end, or `at: -1`. */
function findClose(
  text: string,
  k: number,
  marker: ClosedMarker,
  memo: ScanMemo,
): { at: number; end: number } {
  if (marker.token) return findToken(text, k, marker.close, memo);
  let best = { at: -1, end: -1 };
  for (const close of marker.close) {
    const at = memo.indexOf(text, close, k);
    if (at >= 0 && (best.at < 0 || at < best.at)) best = { at, end: at + close.length };
  }
  return best;
}

/** The first special token from `k` whose canonical name is one of `names`. */
function findToken(
  text: string,
  k: number,
  names: readonly string[],
  memo: ScanMemo,
): { at: number; end: number } {
  let end = -1;
  const at = memo.find(`token:${names.join("|")}`, k, () => {
    for (let p = text.indexOf("<", k); p >= 0; p = text.indexOf("<", p + 1)) {
      const token = readSpecialToken(text, p, false);
      if (token !== undefined && token !== "more" && names.includes(token.name)) {
        end = token.end;
        return p;
      }
    }
    return -1;
  });
  if (at >= 0 && end < 0) {
    // Found by an earlier search of this key from a smaller position: read the token again.
    const token = readSpecialToken(text, at, false);
    end = token !== undefined && token !== "more" ? token.end : at;
  }
  return { at, end };
}

/** Fence languages whose body may hold calls; any other fenced block passes through as text. */
const CALL_FENCE_LANGS = new Set([
  "",
  "json",
  "json5",
  "jsonc",
  "tool_call",
  "tool_calls",
  "tool",
  "tool_code",
  "function_call",
  "xml",
]);

function scanFence(text: string, j: number, final: boolean, ctx: Ctx, example: () => boolean): Region {
  const k = j + 3;
  const nl = text.indexOf("\n", k);
  if (nl < 0 && !final) {
    // The language word is still arriving; anything but a word means this is not an opening fence.
    return /^[\w.+-]*$/.test(text.slice(k)) ? MORE : { kind: "fence", end: k };
  }
  const lineEnd = nl < 0 ? text.length : nl;
  // A fence's language is a short word; a long first line (or more backticks) is not a call fence.
  if (lineEnd - k > 40) return { kind: "fence", end: k };
  const lang = text.slice(k, lineEnd).trim().toLowerCase();
  const python = lang === "python" || lang === "py";
  if (!CALL_FENCE_LANGS.has(lang) && !python) return { kind: "fence", end: k };
  const bodyStart = nl < 0 ? text.length : nl + 1;
  const close = (ctx(false, true).memo as ScanMemo).indexOf(text, "```", bodyStart);
  if (python) {
    // A Python block is held back only while it still looks like nothing but calls (`read_file(`);
    // ordinary code streams as text.
    const body = text.slice(bodyStart, close < 0 ? text.length : close).trimStart();
    const callLike =
      /^\[?\s*[A-Za-z_][\w.]*\s*(?:\(|$)/.test(body) &&
      !/^(?:print|def|class|import|from|if|for|while|return)\b/.test(body);
    if (body !== "" && !callLike) return { kind: "fence", end: k };
  }
  if (close < 0 && !final) return MORE;
  const bodyEnd = close < 0 ? text.length : close;
  const end = close < 0 ? text.length : close + 3;
  const requireArgs = lang === "" || lang.startsWith("json");
  const itemCtx = { ...ctx(requireArgs, true), cut: ctx(false, false).cut && close < 0 };
  const items = readItems(text, bodyStart, bodyEnd, itemCtx);
  if (items === "more" || items.calls.length === 0) return { kind: "fence", end: k };
  // Only a body that is calls and nothing else: code that merely contains a call stays code.
  if (text.slice(items.end, bodyEnd).trim() !== "") return { kind: "fence", end: k };
  // A block introduced as an example ("for example:", "you can call it like this:") is for the user.
  if (example()) return { kind: "fence", end: k };
  return { kind: "calls", end, calls: items.calls };
}

/** Bare JSON (`{…}` / `[{…}]` with an arguments key) or a Python call list `[f(a=1)]` at `j`. */
function scanBare(text: string, j: number, itemCtx: ItemContext, wholeBefore = false): Region | undefined {
  let m = j + 1;
  while (m < text.length && /\s/.test(text[m] as string)) m++;
  if (m === text.length) return itemCtx.open ? MORE : undefined;
  const next = text[m] as string;
  if (text[j] === "[" ? !/[{A-Za-z_]/.test(next) : !/["'A-Za-z_}]/.test(next)) return undefined;
  const item = readItem(text, j, text.length, itemCtx);
  if (item === "more") return MORE;
  if (item !== undefined) return { kind: "calls", end: item.end, calls: item.calls };
  // A whole message that is one JSON object naming a tool, its arguments beside the name.
  if (!wholeBefore || text[j] !== "{") return undefined;
  const flat = readItem(text, j, text.length, { ...itemCtx, allowFlat: true });
  if (flat === "more") return MORE;
  if (flat === undefined || text.slice(flat.end).trim() !== "") return undefined;
  return itemCtx.open ? MORE : { kind: "calls", end: flat.end, calls: flat.calls };
}

/**
 * At the start of a line: Phi-4-mini/FireFunction `functools[…]`, Functionary `>>>name\n{…}`, or a
 * call on a line of its own: `name(k=v)`, `name {…}`, `name[ARGS]{…}`, `name\n{…}`.
 */
function scanLineStart(
  text: string,
  j: number,
  ctx: Ctx,
  final: boolean,
  known: string[],
): Region | undefined {
  if (text[j] === "A") {
    const react = scanReAct(text, j, ctx(false, false, false), final, known);
    if (react !== undefined) return react;
  }
  if (
    text.startsWith("functools[", j) ||
    (text[j] === "f" && !final && couldBecome(text, j, text.length, ["functools["]))
  ) {
    if (!text.startsWith("functools[", j)) return MORE;
    const itemCtx = ctx(false, false);
    const item = readItem(text, j + "functools".length, text.length, itemCtx);
    if (item === "more") return MORE;
    return item === undefined ? undefined : { kind: "calls", end: item.end, calls: item.calls };
  }
  if (
    text.startsWith("function call", j) ||
    (text[j] === "f" && !final && couldBecome(text, j, text.length, ["function call"]))
  ) {
    // GigaChat 3: `function call{"name": …, "arguments": …}` (vLLM gigachat3).
    if (!text.startsWith("function call", j)) return MORE;
    const items = readItems(text, j + "function call".length, text.length, ctx(false, false));
    if (items === "more") return MORE;
    if (items.calls.length > 0) return { kind: "calls", end: items.end, calls: items.calls };
  }
  if (text[j] === ">") {
    if (!text.startsWith(">>>", j))
      return !final && couldBecome(text, j, text.length, [">>>"]) ? MORE : undefined;
    const items = readItems(text, j + 3, text.length, ctx(false, false));
    if (items === "more") return MORE;
    return items.calls.length > 0 ? { kind: "calls", end: items.end, calls: items.calls } : undefined;
  }
  if (/[A-Za-z_]/.test(text[j] as string)) {
    const word = lineWord(text, j, known);
    if (word === "more") return final ? undefined : MORE;
    if (word === undefined) return undefined;
  }
  const itemCtx = ctx(false, false, false);
  const item = readItem(text, j, text.length, itemCtx);
  if (item === "more") return MORE;
  if (item === undefined) return undefined;
  // The call must end its line (or be followed by Functionary's `>>>` before the next call).
  let p = item.end;
  while (p < text.length && (text[p] === " " || text[p] === "\t" || text[p] === ";")) p++;
  if (p < text.length && text[p] !== "\n" && text[p] !== "\r" && !text.startsWith(">>>", p)) {
    if (!final && couldBecome(text, p, text.length, [">>>"])) return MORE;
    return undefined;
  }
  if (p === text.length && !final) return MORE;
  return { kind: "calls", end: item.end, calls: item.calls };
}

/**
 * The word starting a line, when it may name a call: `"more"` when it reaches the end of the text and
 * may still grow into a known tool name (or `print`, `call`), `undefined` when it cannot start a call,
 * else the word. Keeps the stream from holding every line's first word.
 */
function lineWord(text: string, j: number, known: string[]): string | "more" | undefined {
  let p = j;
  while (p < text.length && p - j < 130 && /[\w.:-]/.test(text[p] as string)) p++;
  const word = text.slice(j, p);
  const canon = (s: string): string => s.toLowerCase().replace(/[.\-\s_]+/g, "_");
  if (p === text.length) {
    const w = canon(word);
    const names = [...known, "print", "call", "functions.", "default_api."];
    return names.some((k) => canon(k).startsWith(w) || w.startsWith(canon(k))) ? "more" : undefined;
  }
  const bare = word.replace(/:\d+$/, "").replace(/:$/, "");
  if (bare === "print" || bare === "call") return word;
  return resolveToolName(bare, known) === undefined ? undefined : word;
}

const REACT_ACTION = /Action:[ \t]*`?([\w.-]{1,80})`?[ \t]*\r?\n/y;
const REACT_INPUT = /[ \t]*Action Input:[ \t]*/y;

/**
 * ReAct lines (LangChain's agent format, which small models fall back to): `Action: read_file` then
 * `Action Input: {"path": "a.txt"}` on the next line. Only a JSON object input to a known tool counts.
 */
function scanReAct(
  text: string,
  j: number,
  itemCtx: ItemContext,
  final: boolean,
  known: string[],
): Region | undefined {
  if (!text.startsWith("Action:", j)) {
    return !final && couldBecome(text, j, text.length, ["Action:"]) ? MORE : undefined;
  }
  REACT_ACTION.lastIndex = j;
  const action = REACT_ACTION.exec(text);
  if (!action) return !final && !text.slice(j).includes("\n") ? MORE : undefined;
  const name = resolveToolName(action[1] as string, known);
  if (name === undefined) return undefined;
  REACT_INPUT.lastIndex = REACT_ACTION.lastIndex;
  if (!REACT_INPUT.test(text)) {
    const rest = text.slice(REACT_ACTION.lastIndex).trimStart();
    return !final && "Action Input:".startsWith(rest) ? MORE : undefined;
  }
  const k = REACT_INPUT.lastIndex;
  if (k >= text.length) return final ? undefined : MORE;
  if (text[k] !== "{") return undefined;
  const end = jsonEnd(text, k, text.length, itemCtx);
  if (end === "more") return MORE;
  if (end === undefined) return undefined;
  const repaired = repairJson(text.slice(k, end));
  if (
    repaired === undefined ||
    typeof repaired.value !== "object" ||
    repaired.value === null ||
    Array.isArray(repaired.value)
  )
    return undefined;
  return { kind: "calls", end, calls: [{ name, arguments: JSON.stringify(repaired.value) }] };
}

/**
 * Functionary v2 (llama.cpp, vLLM's functionary templates): `<|recipient|>get_weather\n<|content|>{…}`;
 * the recipient `all` marks plain text. `k` is just past `<|recipient|>`.
 */
function scanRecipient(
  text: string,
  k: number,
  itemCtx: ItemContext,
  final: boolean,
  known: string[],
): Region | undefined {
  const nl = text.indexOf("\n", k);
  if (nl < 0) return final ? undefined : MORE;
  const name = resolveToolName(text.slice(k, nl).trim(), known);
  let p = nl + 1;
  if (p >= text.length) return final ? undefined : MORE;
  const token = readSpecialToken(text, p, !final);
  if (token === "more") return MORE;
  if (token === undefined || token.name !== "content") return undefined;
  if (name === undefined) return { kind: "calls", end: token.end, calls: [] };
  p = token.end;
  while (p < text.length && /\s/.test(text[p] as string)) p++;
  if (p >= text.length) return final ? undefined : MORE;
  if (text[p] !== "{") return undefined;
  const end = jsonEnd(text, p, text.length, itemCtx);
  if (end === "more") return MORE;
  if (end === undefined) return undefined;
  const repaired = repairJson(text.slice(p, end));
  if (repaired === undefined || typeof repaired.value !== "object" || repaired.value === null)
    return undefined;
  return { kind: "calls", end, calls: [{ name, arguments: JSON.stringify(repaired.value) }] };
}
