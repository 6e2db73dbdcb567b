import { z } from "zod";
import { toolSchema } from "./schema.ts";
import type { Tool } from "./types.ts";

/** Outcome of {@link parseToolArguments}: validated arguments, or a message written for the model. */
export type ParsedToolArguments = { ok: true; args: unknown } | { ok: false; error: string };

/** Options for {@link parseToolArguments}. */
export interface ParseToolArgumentsOptions {
  /**
   * Lexical repair of malformed JSON (written elsewhere). Called only when `JSON.parse` fails; returns
   * repaired text, or undefined when it cannot help. The repaired text is used only if it parses.
   */
  repair?: (text: string) => string | undefined;
}

/**
 * Parses and validates the raw argument text of one tool call against `tool.parameters`.
 * - empty or whitespace-only `raw` is treated as `{}`;
 * - invalid JSON gives `Invalid JSON arguments for <tool>: <JSON.parse message>. Expected {"path": string, …}`
 *   (after trying `options.repair`, if given);
 * - a non-object gives `arguments for <tool> must be a JSON object …`;
 * - `null` for an optional parameter means absent (small models write `"replace_all": null`), so it is dropped;
 * - a zod failure gives one line per problem, e.g. `parameter "path": expected string, got number`,
 *   and unknown parameter names are reported as errors too (`parameter "file" is not accepted`),
 *   followed by the expected signature.
 * Never throws.
 */
export function parseToolArguments(
  tool: Tool,
  raw: string,
  options: ParseToolArgumentsOptions = {},
): ParsedToolArguments {
  let value: unknown;
  if (raw.trim() === "") {
    value = {};
  } else {
    const parsed = parseJson(raw, options.repair);
    if (!parsed.ok) {
      return {
        ok: false,
        error: `Invalid JSON arguments for ${tool.name}: ${parsed.error}. Expected ${expectedSignature(tool)}`,
      };
    }
    value = parsed.value;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      error: `Arguments for ${tool.name} must be a JSON object, got ${typeName(value)}. Expected ${expectedSignature(tool)}`,
    };
  }
  const args = withoutOptionalNulls(tool, value as Record<string, unknown>);
  value = args;
  const problems: string[] = [];
  const known = knownKeys(tool);
  if (known) {
    for (const key of Object.keys(args)) {
      if (!known.has(key)) problems.push(`parameter "${key}" is not accepted`);
    }
  }
  const result = tool.parameters.safeParse(value);
  if (result.success && problems.length === 0) return { ok: true, args: result.data };
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") continue; // already reported from the shape
      problems.push(describeIssue(issue, value));
    }
  }
  return {
    ok: false,
    error: `Invalid arguments for ${tool.name}:\n${problems.map((p) => `- ${p}`).join("\n")}\nExpected ${expectedSignature(tool)}`,
  };
}

function parseJson(
  raw: string,
  repair: ((text: string) => string | undefined) | undefined,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    const message = (error as Error).message;
    if (repair) {
      const repaired = repair(raw);
      if (repaired !== undefined) {
        try {
          return { ok: true, value: JSON.parse(repaired) };
        } catch {
          // fall through to the original message: it describes what the model wrote
        }
      }
    }
    return { ok: false, error: message };
  }
}

/** `value` without the keys whose value is null and which the tool's schema does not require. */
function withoutOptionalNulls(tool: Tool, value: Record<string, unknown>): Record<string, unknown> {
  const nulls = Object.keys(value).filter((k) => value[k] === null);
  if (nulls.length === 0) return value;
  const raw = z.toJSONSchema(tool.parameters, { io: "input" }) as { required?: string[] };
  const required = new Set(raw.required ?? []);
  const out = { ...value };
  for (const k of nulls) if (!required.has(k)) delete out[k];
  return out;
}

/** Parameter names of an object schema, or undefined when the schema is not a plain object. */
function knownKeys(tool: Tool): Set<string> | undefined {
  const raw = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
  const extra = raw.additionalProperties;
  if (extra !== undefined && extra !== false) return undefined; // loose object: extra keys are fine
  const props = raw.properties;
  if (props === null || typeof props !== "object") return undefined;
  return new Set(Object.keys(props));
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const where = issue.path.length === 0 ? "arguments" : `parameter "${formatPath(issue.path)}"`;
  if (issue.code === "invalid_type") {
    const actual = valueAt(input, issue.path);
    if (actual === undefined) return `${where} is required (${issue.expected})`;
    return `${where}: expected ${issue.expected}, got ${typeName(actual)}`;
  }
  return `${where}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && Number.isInteger(value)) return "number";
  return typeof value;
}

/**
 * A one-line reminder of the parameters, e.g. `{"path": string, "offset"?: integer}`; derived from the
 * tool's JSON Schema (enums as `"a"|"b"`, arrays as `T[]`).
 */
export function expectedSignature(tool: Tool): string {
  const schema = toolSchema(tool).inputSchema;
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const parts = Object.entries(props).map(
    ([name, sub]) => `"${name}"${required.has(name) ? "" : "?"}: ${schemaType(sub)}`,
  );
  return `{${parts.join(", ")}}`;
}

function schemaType(schema: Record<string, unknown> | undefined): string {
  if (!schema) return "any";
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join("|");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const anyOf = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined;
  if (Array.isArray(anyOf)) return anyOf.map((s) => schemaType(s)).join("|");
  const type = schema.type;
  if (type === "array") {
    const inner = schemaType(schema.items as Record<string, unknown> | undefined);
    return inner.includes("|") ? `(${inner})[]` : `${inner}[]`;
  }
  if (Array.isArray(type)) return type.join("|");
  return typeof type === "string" ? type : "any";
}
