/**
 * Turning parsed JSON-ish values and Python-style call expressions into tool calls.
 * Shared by the whole-text parser and the stream parser (through scan.ts).
 */
import { resolveToolName } from "./names.ts";
import { findValueEnd, repairJson } from "./repair.ts";

/** One tool call recovered from text: the resolved tool name and its arguments as JSON text. */
export interface ParsedCall {
  name: string;
  /** JSON text of the arguments (normally an object); re-serialised after repair. */
  arguments: string;
}

const NAME_KEYS = ["name", "tool", "tool_name", "function", "function_name", "action", "toolName"];
const ARG_KEYS = [
  "arguments",
  "parameters",
  "args",
  "input",
  "params",
  "action_input",
  "tool_input",
  "kwargs",
  "argument",
];

type Shape = { name: string; args: unknown; hasArgs: boolean; flat?: boolean };

/**
 * Reads one call-shaped object: `{"name", "arguments"|"parameters"|"args"|"input"}`,
 * `{"tool": …}`, `{"function": {"name", "arguments"}}` (OpenAI's shape, with or without `"type"`).
 */
function callShape(value: unknown): Shape | undefined {
  if (!isRecord(value)) return undefined;
  const fn = value.function ?? value.function_call;
  if (isRecord(fn) && typeof fn.name === "string") return callShape(fn);
  // A tool definition echoed back (`{"name", "description", "parameters": {"type": "object", …}}`)
  // describes a tool; it does not call it.
  const params = value.parameters ?? value.input_schema;
  if (
    typeof value.description === "string" &&
    isRecord(params) &&
    params.type === "object" &&
    isRecord(params.properties)
  )
    return undefined;
  for (const nameKey of NAME_KEYS) {
    const name = value[nameKey];
    if (typeof name !== "string") continue;
    for (const argKey of ARG_KEYS) {
      if (argKey in value) return { name, args: value[argKey], hasArgs: true };
    }
    // Flattened: `{"name": "read_file", "path": "a"}` (gpt-oss on Workers AI, cloudflare/ai#574).
    const rest = Object.entries(value).filter(([k]) => k !== nameKey && !META_KEYS.includes(k));
    return {
      name,
      args: rest.length > 0 ? Object.fromEntries(rest) : undefined,
      hasArgs: false,
      flat: rest.length > 0,
    };
  }
  return undefined;
}

/** Keys of a call object that are not arguments. */
const META_KEYS = ["type", "id", "tool_call_id", "call_id", "index"];

/**
 * Extracts tool calls from a parsed value: a call object, an array of call objects, or
 * `{"tool_calls": [...]}`. Only calls whose name resolves to a `known` tool are returned (unknown
 * ones are dropped). `requireArgs`: for bare JSON in prose, a call object must carry an arguments key
 * (so `{"name": "Alice"}` in prose is not a call), unless `allowFlat` (the JSON is the whole message)
 * accepts the arguments flattened beside the name (`{"name": "read_file", "path": "a"}`). Returns `undefined` when the value is not call-shaped
 * or no call names a known tool.
 */
export function callsFromValue(
  value: unknown,
  known: string[],
  requireArgs: boolean,
  allowFlat = false,
): ParsedCall[] | undefined {
  if (isRecord(value) && Array.isArray(value.tool_calls))
    return callsFromValue(value.tool_calls, known, requireArgs, allowFlat);
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return undefined;
  const shapes = items.map(
    (item) => callShape(item) ?? (requireArgs ? undefined : nameKeyShape(item, known)),
  );
  if (shapes.some((s) => s === undefined || (requireArgs && !s.hasArgs && !(allowFlat && s.flat))))
    return undefined;
  const calls: ParsedCall[] = [];
  for (const shape of shapes as Shape[]) {
    const name = resolveToolName(shape.name, known);
    if (name !== undefined) calls.push({ name, arguments: serialiseArguments(shape.args) });
  }
  return calls.length > 0 ? calls : undefined;
}

/**
 * Apertus's `{"tool_name": {arguments}}`: one key, a known tool name, whose value is an object. Only
 * inside call markers (never for bare JSON, where `{"path": {…}}` is ordinary data).
 */
function nameKeyShape(value: unknown, known: string[]): Shape | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  const args = value[key];
  if (!isRecord(args) || resolveToolName(key, known) === undefined) return undefined;
  return { name: key, args, hasArgs: true };
}

/**
 * Arguments as JSON text: objects are serialised; a string holding JSON (OpenAI's wire shape) is
 * repaired and re-serialised, or kept verbatim when it cannot be repaired (the engine then reports
 * the invalid arguments to the model); missing or null arguments become `{}`.
 */
export function serialiseArguments(args: unknown): string {
  if (args === undefined || args === null) return "{}";
  if (typeof args === "string") {
    const repaired = repairJson(args);
    if (repaired !== undefined && repaired.value !== null && typeof repaired.value === "object") {
      return JSON.stringify(repaired.value);
    }
    return args.trim() === "" ? "{}" : args;
  }
  return JSON.stringify(args);
}

/** Parses JSON-ish text (with repair) and extracts calls; see `callsFromValue`. */
export function callsFromJsonText(
  text: string,
  known: string[],
  requireArgs: boolean,
): ParsedCall[] | undefined {
  const repaired = repairJson(text);
  if (repaired === undefined) return undefined;
  return callsFromValue(repaired.value, known, requireArgs);
}

/**
 * Parses Python-style calls: `name(a="x", b=2)`, several separated by commas/newlines, optionally in
 * a list (`[f(x=1), g()]`, LFM2's format) or wrapped in `print(default_api.name(...))` (Gemma's
 * ```tool_code``` blocks). Keyword arguments only; values go through JSON repair (single quotes,
 * True/False/None). Returns `undefined` unless every call parses and names a known tool.
 */
export function callsFromPython(text: string, known: string[]): ParsedCall[] | undefined {
  let body = text.trim();
  if (body.startsWith("[") && body.endsWith("]")) body = body.slice(1, -1).trim();
  const calls: ParsedCall[] = [];
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /[\s,;]/.test(body[i] as string)) i++;
    if (i >= body.length) break;
    const match = /^(?:print\()?\s*([A-Za-z_][\w.]*)\s*\(/.exec(body.slice(i));
    if (!match) return undefined;
    const wrapped = match[0].startsWith("print(");
    const open = i + match[0].length - 1;
    const close = findParenEnd(body, open);
    if (close === undefined) return undefined;
    const args = parseKwargs(body.slice(open + 1, close - 1));
    if (args === undefined) return undefined;
    const name = resolveToolName(match[1] as string, known);
    if (name === undefined) return undefined;
    calls.push({ name, arguments: JSON.stringify(args) });
    i = close;
    if (wrapped) {
      while (i < body.length && /\s/.test(body[i] as string)) i++;
      if (body[i] !== ")") return undefined;
      i++;
    }
  }
  return calls.length > 0 ? calls : undefined;
}

/** Index just past the `)` closing the `(` at `open` (strings and nested brackets skipped), or `undefined`. */
export function findParenEnd(text: string, open: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

function parseKwargs(text: string): Record<string, unknown> | undefined {
  const args: Record<string, unknown> = {};
  // `read_file({"path": "a"})`: one positional JSON object is the arguments object itself.
  const whole = text.trim();
  if (whole.startsWith("{") && findValueEnd(whole, 0) === whole.length) {
    const parsed = repairJson(whole);
    if (parsed !== undefined && isRecord(parsed.value)) return parsed.value;
  }
  for (const part of splitTopLevel(text)) {
    if (part.trim() === "") continue;
    const eq = /^\s*([A-Za-z_]\w*)\s*[=:]\s*/.exec(part);
    if (!eq) return undefined;
    const raw = part.slice(eq[0].length).trim();
    const parsed = repairJson(raw);
    if (parsed === undefined) {
      if (!/^[\w.+-]+$/.test(raw)) return undefined;
      args[eq[1] as string] = raw;
    } else args[eq[1] as string] = parsed.value;
  }
  return args;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Parses a Qwen3-Coder style body `<parameter=k>v</parameter>…` (closing tags optional, as small
 * models drop them) into an arguments object. Values are strings with one leading and trailing
 * newline removed; a value that is a JSON-ish object or array (`{'a': 1}`, `['x']`) is parsed.
 */
export function argsFromParameterTags(body: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const re = /<parameter=([^>\s]+)\s*>/g;
  const opens: { key: string; start: number; end: number }[] = [];
  for (let m = re.exec(body); m !== null; m = re.exec(body)) {
    opens.push({
      key: (m[1] as string).replace(/^["']|["']$/g, ""),
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  opens.forEach((open, n) => {
    const limit = opens[n + 1]?.start ?? body.length;
    let value = body.slice(open.end, limit);
    const close = value.indexOf("</parameter>");
    if (close >= 0) value = value.slice(0, close);
    value = value.replace(/^\r?\n/, "").replace(/\r?\n$/, "");
    const trimmed = value.trim();
    if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && findValueEnd(trimmed, 0) === trimmed.length) {
      const parsed = repairJson(trimmed);
      if (parsed !== undefined) {
        args[open.key] = parsed.value;
        return;
      }
    }
    args[open.key] = close >= 0 ? value : value.trim();
  });
  return args;
}

/**
 * Gemma 4 call bodies: `call:name{key:<|"|>text<|"|>,n:1}` (FunctionGemma writes `<escape>` for `<|"|>`). The `<|"|>` string delimiters become JSON
 * strings, then the object goes through JSON repair (unquoted keys). Returns `undefined` unless the
 * name resolves to a known tool.
 */
export function callFromGemma(body: string, known: string[]): ParsedCall | undefined {
  const match = /^\s*call:([A-Za-z_][\w.-]*)\s*/.exec(body);
  if (!match) return undefined;
  const name = resolveToolName(match[1] as string, known);
  if (name === undefined) return undefined;
  const rest = body
    .slice(match[0].length)
    .replace(/<\|"\|>([\s\S]*?)<\|"\|>|<escape>([\s\S]*?)<escape>/g, (_m, a?: string, b?: string) =>
      JSON.stringify(a ?? b ?? ""),
    );
  if (rest.trim() === "") return { name, arguments: "{}" };
  const repaired =
    repairJson(rest) ??
    // Unquoted string values (`{location:Tokyo,unit:celsius}`): quote bare words that are no literal.
    repairJson(
      rest.replace(
        /([:,[{]\s*)([A-Za-z_][^,:{}[\]"]*?)(\s*)(?=[,}\]])/g,
        (m, pre: string, word: string, ws: string) =>
          /^(?:true|false|null|True|False|None)$/.test(word) ? m : `${pre}${JSON.stringify(word)}${ws}`,
      ),
    );
  if (repaired === undefined || !isRecord(repaired.value)) return { name, arguments: rest.trim() };
  return { name, arguments: JSON.stringify(repaired.value) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
