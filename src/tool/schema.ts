import { z } from "zod";
import type { JSONSchema, ToolSchema } from "../provider/types.ts";
import type { Tool } from "./types.ts";

/** Keys zod emits that carry no meaning for the model (metadata, or the defaults they restate). */
const NOISE_KEYS = new Set(["$schema", "$id", "additionalProperties"]);
/** zod's `.int()` adds the safe-integer range; it costs tokens and says nothing. */
const SAFE_INT = Number.MAX_SAFE_INTEGER;

/**
 * Converts a tool to the schema the provider sends (`lean`: without the tool's `leanOmits` parameters, for
 * small local models; a tool's own `inputSchema`, when it has one, goes as it is): `{ name, description, inputSchema }`, where
 * `inputSchema` is zod 4's `z.toJSONSchema(tool.parameters, { io: "input" })` with noise removed
 * (`$schema`, `$id`, `additionalProperties`, the ±2^53 bounds of `.int()`, empty `required`), because
 * small models pay for every schema token on every request. The result is always a valid JSON Schema
 * object with `type: "object"` and `properties` (added when missing).
 * Throws whatever zod throws for a schema it cannot represent (e.g. transforms); that is a programming error.
 * Computed once per tool and variant (zod's conversion costs milliseconds and the engine asks every round); each
 * call returns a fresh copy, so callers may change it.
 */
export function toolSchema(tool: Tool, opts: { lean?: boolean } = {}): ToolSchema {
  const lean = opts.lean === true;
  let cached = schemaCache.get(tool);
  if (!cached) {
    cached = {};
    schemaCache.set(tool, cached);
  }
  const key = lean ? "lean" : "full";
  cached[key] ??= computeToolSchema(tool, lean);
  return structuredClone(cached[key]);
}

/** The schemas computed so far, per tool: full and lean. */
const schemaCache = new WeakMap<Tool, { full?: ToolSchema; lean?: ToolSchema }>();

function computeToolSchema(tool: Tool, lean: boolean): ToolSchema {
  if (tool.inputSchema) {
    // A schema given as JSON (an MCP server's) goes to the model as it is, only made an object schema.
    const given = structuredClone(tool.inputSchema) as JSONSchema;
    if (given.type === undefined) given.type = "object";
    if (given.properties === undefined) given.properties = {};
    return { name: tool.name, description: tool.description, inputSchema: given };
  }
  const opts = { lean };
  const raw = z.toJSONSchema(tool.parameters, { io: "input" }) as JSONSchema;
  const inputSchema = strip(raw) as JSONSchema;
  if (inputSchema.type === undefined) inputSchema.type = "object";
  if (inputSchema.properties === undefined) inputSchema.properties = {};
  if (opts.lean && tool.leanOmits) {
    const props = inputSchema.properties as Record<string, unknown>;
    const required = (inputSchema.required as string[] | undefined) ?? [];
    for (const name of tool.leanOmits) if (!required.includes(name)) delete props[name];
  }
  return { name: tool.name, description: tool.description, inputSchema };
}

/** Recursively drops noise keys; leaves everything else (types, enums, descriptions, items) intact. */
function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (NOISE_KEYS.has(key)) continue;
    if ((key === "maximum" && value === SAFE_INT) || (key === "minimum" && value === -SAFE_INT)) continue;
    if (key === "required" && Array.isArray(value) && value.length === 0) continue;
    // `properties` maps names to schemas: recurse into values, but never treat names as keywords.
    if (key === "properties" && value !== null && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, strip(sub)]));
      continue;
    }
    out[key] = strip(value);
  }
  return out;
}
