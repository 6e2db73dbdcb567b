import type { z } from "zod";
import { formatKeyPath, type KeyPath } from "./errors.ts";
import { isTable } from "./expand.ts";

type Issue = z.core.$ZodIssue;

/** One schema problem as owlet reports it: the dotted key, its key path and a message without location. */
export interface ConfigProblem {
  path: (string | number)[];
  key: string;
  message: string;
}

/**
 * Turns a zod issue on raw config `data` (validated with `schema`) into a user-facing problem, e.g.
 * `unknown key "provider.modle" (did you mean "model"?)` or `"tools.bash_timeout" must be a number, got string`.
 * Unknown-key problems point at the unknown key itself.
 */
export function describeIssue(issue: Issue, data: unknown, schema: z.ZodType): ConfigProblem {
  const path = issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
  if (issue.code === "unrecognized_keys") {
    const unknown = issue.keys[0] ?? "";
    const keyPath = [...path, unknown];
    const key = formatKeyPath(keyPath);
    const suggestion = closest(unknown, knownKeysAt(schema, path));
    const hint = suggestion ? ` (did you mean "${suggestion}"?)` : "";
    const more = issue.keys.length > 1 ? `; also unknown: ${issue.keys.slice(1).map(quote).join(", ")}` : "";
    return { path: keyPath, key, message: `unknown key "${key}"${hint}${more}` };
  }
  const key = formatKeyPath(path);
  const value = valueAt(data, path);
  return { path, key, message: `"${key}" ${describeRequirement(issue, value)}` };
}

function describeRequirement(issue: Issue, value: unknown): string {
  if (value === undefined) return "is required but missing";
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "int" && typeof value === "number") return `must be an integer, got ${value}`;
      return `must be ${article(issue.expected)}, got ${typeName(value)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${show(value)}`;
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      return `must be ${issue.inclusive ? ">=" : ">"} ${issue.minimum}, got ${show(value)}`;
    case "too_big":
      return `must be ${issue.inclusive ? "<=" : "<"} ${issue.maximum}, got ${show(value)}`;
    default:
      return `is invalid: ${issue.message}`;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = {
    number: "a number",
    int: "an integer",
    string: "a string",
    boolean: "a boolean (true or false)",
    object: "a table",
    array: "an array",
  };
  return names[expected] ?? expected;
}

/** The TOML-ish type name of a value: string, number, boolean, array, table, date. */
export function typeName(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value instanceof Date) return "date";
  if (isTable(value)) return "table";
  return typeof value;
}

function show(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? JSON.stringify(value)
    : typeName(value);
}

function quote(key: string): string {
  return `"${key}"`;
}

function valueAt(data: unknown, path: KeyPath): unknown {
  let current = data;
  for (const segment of path) {
    if (typeof segment === "number" ? Array.isArray(current) : isTable(current)) {
      current = (current as Record<string | number, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** The keys a strict object schema accepts at `path` (wrappers and arrays unwrapped); empty when unknown. */
function knownKeysAt(schema: z.ZodType, path: KeyPath): string[] {
  let current: any = schema;
  const unwrap = () => {
    while (
      current &&
      ["optional", "default", "prefault", "nullable", "readonly"].includes(current._zod.def.type)
    ) {
      current = current._zod.def.innerType;
    }
  };
  for (const segment of path) {
    unwrap();
    const def = current?._zod.def;
    if (typeof segment === "number" && def?.type === "array") current = def.element;
    else if (typeof segment === "string" && def?.type === "object") current = def.shape[segment];
    else return [];
  }
  unwrap();
  return current?._zod.def.type === "object" ? Object.keys(current._zod.def.shape) : [];
}

/** The candidate closest to `word` by edit distance, when close enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = row;
  }
  return previous[b.length]!;
}
