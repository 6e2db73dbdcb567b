/**
 * The one scanner behind both the whole-text parser (parse.ts) and the stream parser
 * (stream-parser.ts), so the two agree by construction: the stream calls it with `final: false` on
 * what it holds and gets back how much it may release; the whole-text parser calls it once with
 * `final: true`.
 *
 * Recognised call syntaxes (each only counts when a call names a known tool; otherwise its text stays
 * visible):
 * - Hermes/Qwen `<tool_call>{…}</tool_call>` (closing tag optional; several bodies allowed), whose body
 *   may also be Qwen3-Coder `<function=name><parameter=k>v</parameter></function>`;
 * - Mistral `[TOOL_CALLS] [{…}]`, `[TOOL_CALLS]name[ARGS]{…}` and `[TOOL_CALLS]name{…}`;
 * - Llama 3 `<|python_tag|>{…}` (several separated by `;`), Llama 4 `<|python_start|>{…}<|python_end|>`,
 *   and `<function=name>{…}</function>`;
 * - Gemma 4 `<|tool_call>call:name{…}<tool_call|>`, LFM2 `<|tool_call_start|>[f(a=1)]<|tool_call_end|>`,
 *   Phi-4-mini `functools[{…}]` at the start of a line;
 * - fenced blocks ```json / ```tool_call / ``` / ```tool_code (Python-style calls);
 * - bare JSON `{…}` or `[{…}]` starting a line (must carry an arguments key).
 */
import {
  argsFromParameterTags,
  callFromGemma,
  callsFromJsonText,
  callsFromPython,
  type ParsedCall,
  serialiseArguments,
} from "./calls.ts";
import { resolveToolName } from "./names.ts";
import { findValueEnd, repairJson } from "./repair.ts";

/** Scanner state carried between calls on consecutive pieces of one text. */
export interface ScanState {
  /** True when the next character starts a line (only spaces/tabs since the last newline, or text start). */
  lineStart: boolean;
  /** True inside a fenced code block whose language is not a call format (its text passes through). */
  inTextFence: boolean;
  /** True when only whitespace follows the last call: a `{` here may be the next bare call (`{…} {…}`). */
  afterCall: boolean;
}

/** Output of one scan: visible text pieces, parsed calls, and how many characters were consumed. */
export interface ScanResult {
  pieces: string[];
  calls: ParsedCall[];
  /** Characters of the input consumed; the rest must be kept and rescanned with more text. */
  consumed: number;
  state: ScanState;
}

/** Markers that open a call region, longest first where one is a prefix of another. */
const MARKERS = [
  "<tool_call>",
  "<|tool_call>",
  "<|tool_call_start|>",
  "[TOOL_CALLS]",
  "<|python_tag|>",
  "<|python_start|>",
  "<function=",
  "```",
] as const;

/** Phi-4-mini's call marker: `functools[{"name": …, "arguments": …}, …]`. */
const FUNCTOOLS = "functools[";

/** Fence languages whose body may hold a call; any other fenced block passes through as text. */
const CALL_FENCE_LANGS = new Set([
  "",
  "json",
  "json5",
  "jsonc",
  "tool_call",
  "tool_calls",
  "tool",
  "tool_code",
]);

type Region =
  | { kind: "more" }
  | { kind: "calls"; end: number; calls: ParsedCall[] }
  | { kind: "text"; end: number }
  | { kind: "fence"; end: number };

const MORE: Region = { kind: "more" };

/** The state at the start of a text. */
export function initialScanState(): ScanState {
  return { lineStart: true, inTextFence: false, afterCall: false };
}

/**
 * Scans `text` from its start (which has `state`) for tool calls. With `final: false` it stops before
 * anything that may still turn out to be (part of) a call and reports how much it consumed; with
 * `final: true` it consumes everything, closing unterminated calls at the end.
 */
export function scanText(text: string, state: ScanState, known: string[], final: boolean): ScanResult {
  const pieces: string[] = [];
  const calls: ParsedCall[] = [];
  let inTextFence = state.inTextFence;
  let textStart = 0;
  let i = 0;
  let consumed = text.length;
  /** End of the last call region in `text`, or -1. */
  let lastCallEnd = -1;
  const afterCallAt = (pos: number): boolean => {
    const from = Math.max(lastCallEnd, 0);
    if (lastCallEnd < 0 && !state.afterCall) return false;
    return /^\s*$/.test(text.slice(from, pos));
  };
  const lineStartAt = (pos: number): boolean => {
    for (let p = pos - 1; p >= 0; p--) {
      const ch = text[p];
      if (ch === "\n") return true;
      if (ch !== " " && ch !== "\t") return false;
    }
    return state.lineStart;
  };

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
    for (let j = i; j < text.length; j++) {
      const ch = text[j];
      let region: Region | undefined;
      if (ch === "f") {
        // Phi-4-mini's `functools[…]`, only where a line starts (so prose is never held back for it).
        if (!lineStartAt(j)) continue;
        if (text.startsWith(FUNCTOOLS, j)) region = scanFunctools(text, j, known, final);
        else if (!final && couldBecome(text, j, [FUNCTOOLS])) region = MORE;
      } else if (ch === "<" || ch === "[" || ch === "`" || ch === "{") {
        const marker = MARKERS.find((m) => text.startsWith(m, j));
        if (marker !== undefined) region = scanMarker(text, j, marker, known, final);
        else if (!final && couldBecome(text, j, [...MARKERS])) region = MORE;
        else if ((ch === "{" || ch === "[") && (lineStartAt(j) || afterCallAt(j))) {
          region = scanBare(text, j, known, final);
        }
      }
      if (region === undefined) continue;
      if (region.kind === "more") {
        consumed = j;
        break scan;
      }
      if (region.kind === "calls") {
        pieces.push(text.slice(textStart, j));
        calls.push(...region.calls);
        textStart = region.end;
        lastCallEnd = region.end;
      } else if (region.kind === "fence") inTextFence = true;
      i = region.end;
      continue scan;
    }
    break;
  }
  if (consumed > textStart) pieces.push(text.slice(textStart, consumed));
  return {
    pieces: pieces.filter((p) => p.length > 0),
    calls,
    consumed,
    state: { lineStart: lineStartAt(consumed), inTextFence, afterCall: afterCallAt(consumed) },
  };
}

/** Length of the longest proper prefix of `token` that `text` ends with. */
function partialSuffix(text: string, token: string): number {
  for (let n = Math.min(token.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(token.slice(0, n))) return n;
  }
  return 0;
}

function skipWs(text: string, k: number): number {
  while (k < text.length && /\s/.test(text[k] as string)) k++;
  return k;
}

/** End of the JSON value opening at `k`; to the end of text when it never closes and `final`. */
function valueEnd(text: string, k: number, final: boolean): number | undefined {
  const end = findValueEnd(text, k);
  if (end !== undefined) return end;
  return final ? text.length : undefined;
}

/**
 * After a call body ending at `k`: consumes optional whitespace plus one of `suffixes` when present.
 * Returns the new end, or `undefined` when more text is needed to know.
 */
function optionalSuffix(text: string, k: number, suffixes: string[], final: boolean): number | undefined {
  const m = skipWs(text, k);
  if (m === text.length) return final ? k : undefined;
  for (const suffix of suffixes) {
    if (text.startsWith(suffix, m)) return m + suffix.length;
    if (!final && text.length - m < suffix.length && suffix.startsWith(text.slice(m))) return undefined;
  }
  return k;
}

/** Needs more text when `rest` (at `m`) could still become one of `tokens`. */
function couldBecome(text: string, m: number, tokens: string[]): boolean {
  const rest = text.slice(m);
  return tokens.some((t) => t.length > rest.length && t.startsWith(rest));
}

function scanMarker(text: string, j: number, marker: string, known: string[], final: boolean): Region {
  const k = j + marker.length;
  switch (marker) {
    case "<tool_call>":
      return scanHermes(text, j, k, known, final);
    case "<|tool_call>":
      return scanDelimited(text, k, "<tool_call|>", final, (body) => {
        const call = callFromGemma(body, known);
        return call ? [call] : undefined;
      });
    case "<|tool_call_start|>":
      return scanDelimited(text, k, "<|tool_call_end|>", final, (body) => {
        const trimmed = body.trim();
        return trimmed.startsWith("[{") || trimmed.startsWith("{")
          ? callsFromJsonText(trimmed, known, false)
          : callsFromPython(trimmed, known);
      });
    case "[TOOL_CALLS]":
      return scanMistral(text, k, known, final);
    case "<|python_tag|>":
    case "<|python_start|>":
      return scanPythonTag(text, j, k, known, final);
    case "<function=": {
      // A naked `<function=…>` (Qwen3-Coder without its `<tool_call>`) may still be followed by the
      // orphan closing tag (jundot/omlx#844); it belongs to the call.
      const region = scanFunctionTag(text, j, known, final) ?? { kind: "text", end: k };
      if (region.kind !== "calls") return region;
      const end = optionalSuffix(text, region.end, ["</tool_call>"], final);
      return end === undefined ? MORE : { ...region, end };
    }
    default:
      return scanFence(text, j, known, final);
  }
}

/** `open…close` with a body parsed by `parse`; unterminated bodies run to the end when `final`. */
function scanDelimited(
  text: string,
  k: number,
  close: string,
  final: boolean,
  parse: (body: string) => ParsedCall[] | undefined,
): Region {
  const at = text.indexOf(close, k);
  if (at < 0 && !final) return MORE;
  const bodyEnd = at < 0 ? text.length : at;
  const end = at < 0 ? text.length : at + close.length;
  const calls = parse(text.slice(k, bodyEnd));
  return calls ? { kind: "calls", end, calls } : { kind: "text", end };
}

function scanHermes(text: string, j: number, k: number, known: string[], final: boolean): Region {
  const calls: ParsedCall[] = [];
  let end = k;
  let items = 0;
  for (;;) {
    const m = skipWs(text, end);
    if (m === text.length) {
      if (!final) return MORE;
      break;
    }
    if (text.startsWith("</tool_call>", m)) {
      end = m + "</tool_call>".length;
      break;
    }
    if (!final && couldBecome(text, m, ["</tool_call>", "<function="])) return MORE;
    const ch = text[m];
    if (ch === "{" || ch === "[") {
      const stop = valueEnd(text, m, final);
      if (stop === undefined) return MORE;
      calls.push(...(callsFromJsonText(text.slice(m, stop), known, false) ?? []));
      end = stop;
      items++;
      continue;
    }
    if (text.startsWith("<function=", m)) {
      const inner = scanFunctionTag(text, m, known, final);
      if (inner === undefined) break;
      if (inner.kind === "more") return MORE;
      if (inner.kind === "calls") calls.push(...inner.calls);
      end = inner.end;
      items++;
      continue;
    }
    if (items > 0) break;
    // Some other body (pythonic call, prose): up to the closing tag, the next opening tag, or the end.
    const close = text.indexOf("</tool_call>", m);
    const next = text.indexOf("<tool_call>", m);
    if (close < 0 && next < 0 && !final) return MORE;
    const candidates = [close, next].filter((x) => x >= 0);
    const bodyEnd = candidates.length > 0 ? Math.min(...candidates) : text.length;
    const body = text.slice(m, bodyEnd);
    calls.push(...(callsFromJsonText(body, known, false) ?? callsFromPython(body, known) ?? []));
    end = bodyEnd === close ? close + "</tool_call>".length : bodyEnd;
    break;
  }
  return calls.length > 0 ? { kind: "calls", end, calls } : { kind: "text", end: Math.max(end, j + 1) };
}

function scanMistral(text: string, k: number, known: string[], final: boolean): Region {
  const m = skipWs(text, k);
  if (m === text.length) return final ? { kind: "text", end: k } : MORE;
  const suffixes = ["[/TOOL_CALLS]", "</s>"];
  const ch = text[m];
  if (ch === "[" || ch === "{") {
    const stop = valueEnd(text, m, final);
    if (stop === undefined) return MORE;
    const calls = callsFromJsonText(text.slice(m, stop), known, false);
    if (!calls) return { kind: "text", end: stop };
    const end = optionalSuffix(text, stop, suffixes, final);
    return end === undefined ? MORE : { kind: "calls", end, calls };
  }
  // name[CALL_ID]id[ARGS]{…} | name[ARGS]{…} | name{…}
  const head = /^([A-Za-z_][\w.-]*)(\[CALL_ID\][A-Za-z0-9_-]*)?\s*(\[ARGS\])?\s*/.exec(text.slice(m));
  if (!head) return { kind: "text", end: k };
  const argsAt = m + head[0].length;
  if (argsAt === text.length) return final ? { kind: "text", end: k } : MORE;
  if (!final && couldBecome(text, m + (head[1] as string).length, ["[CALL_ID]", "[ARGS]"])) return MORE;
  if (!final && couldBecome(text, argsAt, ["[ARGS]"])) return MORE;
  if (text[argsAt] !== "{") return { kind: "text", end: k };
  const stop = valueEnd(text, argsAt, final);
  if (stop === undefined) return MORE;
  const name = resolveToolName(head[1] as string, known);
  if (name === undefined) return { kind: "text", end: stop };
  const repaired = repairJson(text.slice(argsAt, stop));
  const args = repaired ? serialiseArguments(repaired.value) : text.slice(argsAt, stop);
  const end = optionalSuffix(text, stop, suffixes, final);
  return end === undefined ? MORE : { kind: "calls", end, calls: [{ name, arguments: args }] };
}

function scanPythonTag(text: string, j: number, k: number, known: string[], final: boolean): Region {
  const calls: ParsedCall[] = [];
  let end = k;
  for (;;) {
    const m = skipWs(text, end);
    if (m === text.length) {
      if (!final) return MORE;
      break;
    }
    if (text[m] !== "{") break;
    const stop = valueEnd(text, m, final);
    if (stop === undefined) return MORE;
    const found = callsFromJsonText(text.slice(m, stop), known, false);
    if (!found) break;
    calls.push(...found);
    end = stop;
    const n = skipWs(text, end);
    if (n === text.length && !final) return MORE;
    if (text[n] === ";") end = n + 1;
  }
  if (calls.length === 0) return { kind: "text", end: j + 1 };
  const suffixed = optionalSuffix(text, end, ["<|python_end|>", "<|eom_id|>", "<|eot_id|>"], final);
  return suffixed === undefined ? MORE : { kind: "calls", end: suffixed, calls };
}

/**
 * `<function=name>{json}</function>` (Llama) or `<function=name><parameter=k>v…</function>`
 * (Qwen3-Coder; closing tags optional). `undefined` when the text at `j` is not such a call.
 */
function scanFunctionTag(text: string, j: number, known: string[], final: boolean): Region | undefined {
  const k = j + "<function=".length;
  const gt = text.indexOf(">", k);
  if (gt < 0) return final ? undefined : MORE;
  const rawName = text.slice(k, gt).trim();
  if (!/^[\w.-]+$/.test(rawName)) return undefined;
  const name = resolveToolName(rawName, known);
  const m = skipWs(text, gt + 1);
  if (m === text.length && !final) return MORE;
  if (!final && couldBecome(text, m, ["</function>", "<parameter="])) return MORE;
  if (text[m] === "{") {
    const stop = valueEnd(text, m, final);
    if (stop === undefined) return MORE;
    const end = optionalSuffix(text, stop, ["</function>"], final);
    if (end === undefined) return MORE;
    if (name === undefined) return { kind: "text", end };
    const repaired = repairJson(text.slice(m, stop));
    const args = repaired ? serialiseArguments(repaired.value) : text.slice(m, stop);
    return { kind: "calls", end, calls: [{ name, arguments: args }] };
  }
  if (text.startsWith("</function>", m)) {
    const end = m + "</function>".length;
    return name === undefined
      ? { kind: "text", end }
      : { kind: "calls", end, calls: [{ name, arguments: "{}" }] };
  }
  if (text.startsWith("<parameter=", m)) {
    const close = text.indexOf("</function>", m);
    const outer = text.indexOf("</tool_call>", m);
    if (close < 0 && outer < 0 && !final) return MORE;
    const stops = [close, outer].filter((x) => x >= 0);
    const bodyEnd = stops.length > 0 ? Math.min(...stops) : text.length;
    const end = bodyEnd === close ? close + "</function>".length : bodyEnd;
    if (name === undefined) return { kind: "text", end };
    const args = argsFromParameterTags(text.slice(m, bodyEnd));
    return { kind: "calls", end, calls: [{ name, arguments: JSON.stringify(args) }] };
  }
  return undefined;
}

function scanFence(text: string, j: number, known: string[], final: boolean): Region {
  const k = j + 3;
  const nl = text.indexOf("\n", k);
  if (nl < 0 && !final) {
    // The language word is still arriving; anything but a word means this is not an opening fence.
    return /^[\w.+-]*$/.test(text.slice(k)) ? MORE : { kind: "fence", end: k };
  }
  const lang = text
    .slice(k, nl < 0 ? text.length : nl)
    .trim()
    .toLowerCase();
  if (!CALL_FENCE_LANGS.has(lang)) return { kind: "fence", end: k };
  const bodyStart = nl < 0 ? text.length : nl + 1;
  const close = text.indexOf("```", bodyStart);
  if (close < 0 && !final) return MORE;
  const body = text.slice(bodyStart, close < 0 ? text.length : close);
  const end = close < 0 ? text.length : close + 3;
  const calls =
    lang === "tool_code"
      ? callsFromPython(body, known)
      : callsFromJsonText(body, known, lang === "" || lang.startsWith("json"));
  return calls ? { kind: "calls", end, calls } : { kind: "text", end };
}

function scanBare(text: string, j: number, known: string[], final: boolean): Region | undefined {
  const m = skipWs(text, j + 1);
  if (m === text.length) return final ? undefined : MORE;
  const next = text[m] as string;
  if (text[j] === "[" ? next !== "{" : !/["'A-Za-z_}]/.test(next)) return undefined;
  const stop = valueEnd(text, j, final);
  if (stop === undefined) return MORE;
  const calls = callsFromJsonText(text.slice(j, stop), known, true);
  return calls ? { kind: "calls", end: stop, calls } : { kind: "text", end: stop };
}

function scanFunctools(text: string, j: number, known: string[], final: boolean): Region {
  const open = j + FUNCTOOLS.length - 1;
  const stop = valueEnd(text, open, final);
  if (stop === undefined) return MORE;
  const calls = callsFromJsonText(text.slice(open, stop), known, false);
  return calls ? { kind: "calls", end: stop, calls } : { kind: "text", end: stop };
}
