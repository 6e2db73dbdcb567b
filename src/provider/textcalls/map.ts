/**
 * Mapping parsed calls onto the offered tools' schemas (issue 14): argument names models drift on
 * (`file_path` for `path`, `cmd` for `command`, `filePath`), a wrapper object (`{"arguments": {…}}`,
 * `{"input": {…}}`, `{"params": {…}}`) around the real arguments, and values whose JSON type is off
 * (`"10"` for an integer, `"true"` for a boolean, a string holding a JSON array or object, a number
 * for a string). XML-ish formats print every value as text, so their numbers and booleans arrive as
 * strings or are guessed; the schema decides. Borrowed behaviour: vLLM's schema-typed conversion of
 * Qwen3-Coder/MiniMax/GLM parameter values (`_convert_param_value`), goose's argument repair.
 */
import type { JSONSchema } from "../types.ts";

/** Names that mean the same argument; a key is renamed only to a schema property of its own group. */
const ALIAS_GROUPS: readonly (readonly string[])[] = [
  [
    "path",
    "file_path",
    "filepath",
    "file",
    "filename",
    "file_name",
    "target_file",
    "absolute_path",
    "abs_path",
    "target",
    "dir",
    "directory",
    "folder",
    "dir_path",
  ],
  ["command", "cmd", "shell_command", "script", "commands", "bash_command", "code"],
  ["content", "contents", "text", "file_content", "file_contents", "data", "body", "new_content"],
  ["pattern", "regex", "query", "search", "search_pattern", "glob_pattern", "expression"],
  ["old_string", "old_str", "old", "old_text", "search_text", "find", "original"],
  ["new_string", "new_str", "new", "new_text", "replacement", "replace_with", "replace"],
  ["offset", "start_line", "line", "from_line", "start"],
  ["limit", "max_lines", "lines", "count", "num_lines"],
  ["timeout", "timeout_seconds", "time_limit"],
];

/** Keys that wrap the real arguments one level down. */
const WRAPPERS = ["arguments", "args", "input", "params", "parameters", "kwargs"];

/** Result of `mapArguments`: the arguments after mapping and what was changed (for logs and tests). */
export interface MappedArguments {
  args: Record<string, unknown>;
  changes: string[];
}

/**
 * Maps `args` (a parsed arguments object) onto `schema` (the tool's JSON Schema, an object schema):
 * unwraps a lone wrapper key that is not a property, renames keys that are not properties to the
 * property they alias (case and `_`/`-` insensitive, or the alias groups above) when that property is
 * not given, and converts values to the property's type where the conversion is exact. Keys and values
 * it cannot map are left as they are, so the engine's argument check reports them to the model.
 * Never throws.
 */
export function mapArguments(args: unknown, schema: JSONSchema): MappedArguments {
  const changes: string[] = [];
  const props = isRecord(schema.properties) ? (schema.properties as Record<string, unknown>) : undefined;
  if (!isRecord(args) || props === undefined) return { args: isRecord(args) ? args : {}, changes };
  let current: Record<string, unknown> = args;
  const keys = Object.keys(current);
  if (keys.length === 1 && WRAPPERS.includes(keys[0] as string) && !((keys[0] as string) in props)) {
    const inner = parseIfJson(current[keys[0] as string]);
    if (isRecord(inner)) {
      changes.push(`unwrapped "${keys[0]}"`);
      current = inner;
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current)) {
    const target = key in props ? key : aliasFor(key, props, current);
    if (target !== key) changes.push(`renamed "${key}" to "${target}"`);
    out[target] = value;
  }
  for (const [key, value] of Object.entries(out)) {
    const converted = convert(value, props[key]);
    if (converted !== value) {
      changes.push(`converted "${key}"`);
      out[key] = converted;
    }
  }
  return { args: out, changes };
}

function canonical(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[-\s.]+/g, "_");
}

/** The property `key` stands for, or `key` itself when none (or the property is already given). */
function aliasFor(key: string, props: Record<string, unknown>, given: Record<string, unknown>): string {
  const canon = canonical(key);
  const free = Object.keys(props).filter((p) => !(p in given));
  const byCase = free.filter(
    (p) => canonical(p) === canon || canonical(p).replace(/_/g, "") === canon.replace(/_/g, ""),
  );
  if (byCase.length === 1) return byCase[0] as string;
  const group = ALIAS_GROUPS.find((g) => g.includes(canon));
  if (group === undefined) return key;
  const matches = free.filter((p) => group.includes(canonical(p)));
  return matches.length === 1 ? (matches[0] as string) : key;
}

function types(prop: unknown): string[] {
  if (!isRecord(prop)) return [];
  const t = prop.type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  const anyOf = (prop.anyOf ?? prop.oneOf) as unknown;
  if (Array.isArray(anyOf)) return anyOf.flatMap(types);
  return [];
}

/** Converts `value` to the type `prop` asks for when the conversion is exact; else returns it as is. */
function convert(value: unknown, prop: unknown): unknown {
  const want = types(prop);
  if (want.length === 0) return value;
  const has = (t: string): boolean => want.includes(t);
  if (typeof value === "string") {
    if (has("string")) return value;
    const trimmed = value.trim();
    if ((has("integer") || has("number")) && /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(trimmed)) {
      const n = Number(trimmed);
      if (Number.isFinite(n) && (has("number") || Number.isInteger(n))) return n;
    }
    if (has("boolean") && /^(?:true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === "true";
    if (has("null") && trimmed === "null") return null;
    if (has("array") || has("object")) {
      const parsed = parseIfJson(trimmed);
      if (has("array") && Array.isArray(parsed)) return parsed;
      if (has("object") && isRecord(parsed)) return parsed;
      if (has("array") && !trimmed.startsWith("[")) return [value];
    }
    return value;
  }
  if (
    (typeof value === "number" || typeof value === "boolean") &&
    has("string") &&
    !has(typeof value === "number" ? "number" : "boolean")
  ) {
    if (!(typeof value === "number" && has("integer") && Number.isInteger(value))) return String(value);
  }
  return value;
}

function parseIfJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const t = value.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Call syntax that shows the model meant a call, with the tool name it wrote (group 1). */
const ATTEMPTS: readonly RegExp[] = [
  /<tool_call>\s*\{[^{}]*?"name"\s*:\s*"([^"]{1,80})"/,
  /<function=([\w.:-]{1,80})>/,
  /<invoke name="([^"]{1,80})"/,
  /\[TOOL_CALLS\]\s*(?:\[\s*\{[^{}]*?"name"\s*:\s*")?([\w.-]{1,80})/,
  /to=(?:functions\.)?([\w.-]{1,80})[^\n]{0,80}<\|message\|>/,
  /<tool_call>\s*([\w.-]{1,80})\s*<arg_key>/,
];

/**
 * The tool name of a call the model clearly meant (a `<tool_call>`, `<function=…>`, `<invoke …>`,
 * `[TOOL_CALLS]`, harmony or GLM call) when it names none of `known`; `undefined` when the text holds
 * no such call. Used to answer the model with "unknown tool … Available tools: …" instead of showing
 * the call as text.
 */
export function unmappedCallName(text: string, resolves: (name: string) => boolean): string | undefined {
  for (const re of ATTEMPTS) {
    const m = re.exec(text);
    if (m && !resolves(m[1] as string)) return m[1] as string;
  }
  return undefined;
}
