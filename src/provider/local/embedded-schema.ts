import type { JSONSchema, ToolSchema } from "../types.ts";

/**
 * JSON Schema → the subset node-llama-cpp turns into a GBNF grammar (its `GbnfJsonSchema`: type, const, enum,
 * oneOf, object properties/additionalProperties, array items/prefixItems/min/maxItems, string min/maxLength and
 * date formats, `$defs`/`$ref`). Plain JSON values, typed loosely because node-llama-cpp's own type is a deep
 * generic; pass the result where it expects a `GbnfJsonSchema`.
 */
export type GrammarSchema = Record<string, unknown>;

/** How deep `$ref`s are inlined before falling back to "any JSON value" (guards recursive schemas). */
const MAX_REF_DEPTH = 8;
/** String formats node-llama-cpp's grammar generator understands; others are dropped (the value stays a string). */
const GRAMMAR_STRING_FORMATS = new Set(["date-time", "time", "date"]);
const PRIMITIVE_TYPES = new Set(["string", "number", "integer", "boolean", "null"]);

/** Any JSON value, in the grammar subset (node-llama-cpp has no `{}` schema). */
function anyValue(): GrammarSchema {
  return {
    oneOf: [
      { type: ["string", "number", "boolean", "null"] },
      { type: "object", additionalProperties: true },
      { type: "array" },
    ],
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isPrimitive(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

/**
 * Converts a tool's JSON Schema to the grammar subset. node-llama-cpp's grammar emits EVERY listed property
 * (it ignores `required`), so an optional property becomes `oneOf: [its schema, null]` and the model may answer
 * `null` for it; {@link stripOptionalNulls} removes those nulls again after parsing. Keywords the grammar cannot
 * enforce (pattern, minimum, …) are dropped: the engine still validates arguments against the real schema.
 * `anyOf`/`oneOf` become `oneOf`; `allOf` of objects is merged; `$ref` to `#/$defs/…` or `#/definitions/…` is
 * inlined up to depth 8; an object with properties admits no extra keys; one without properties admits any.
 * Never throws: an unrecognised node becomes "any JSON value".
 */
export function toGrammarSchema(schema: JSONSchema, options: GrammarOptions = {}): GrammarSchema {
  const defs = {
    ...(isObject(schema.definitions) ? schema.definitions : {}),
    ...(isObject(schema.$defs) ? schema.$defs : {}),
  };
  return convert(schema, { defs, maxStringChars: options.maxStringChars }, 0);
}

/** Options of {@link toGrammarSchema}. */
export interface GrammarOptions {
  /** Cap (characters) on every free-text string, so a looping model must close it; default none. */
  maxStringChars?: number;
}

interface Scope {
  defs: Record<string, unknown>;
  maxStringChars: number | undefined;
}

function convert(node: unknown, scope: Scope, refDepth: number): GrammarSchema {
  const defs = scope.defs;
  if (node === true || node === undefined) return anyValue();
  if (!isObject(node)) return anyValue();
  const description = typeof node.description === "string" ? { description: node.description } : {};

  if (typeof node.$ref === "string") {
    const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(node.$ref);
    const target = match ? defs[decodeURIComponent(match[1] ?? "")] : undefined;
    if (target === undefined || refDepth >= MAX_REF_DEPTH) return anyValue();
    return convert(target, scope, refDepth + 1);
  }
  if ("const" in node && isPrimitive(node.const)) return { const: node.const, ...description };
  if (Array.isArray(node.enum)) {
    const values = node.enum.filter(isPrimitive);
    if (values.length > 0) return { enum: values, ...description };
  }
  const alternatives = Array.isArray(node.anyOf)
    ? node.anyOf
    : Array.isArray(node.oneOf)
      ? node.oneOf
      : undefined;
  if (alternatives && alternatives.length > 0) {
    const base = withNullable(
      { oneOf: alternatives.map((alt) => convert(alt, scope, refDepth)), ...description },
      node.nullable === true,
    );
    return base;
  }
  if (Array.isArray(node.allOf) && node.allOf.length > 0) {
    const merged: Record<string, unknown> = { type: "object", properties: {}, required: [] };
    for (const part of node.allOf) {
      if (!isObject(part)) continue;
      if (node.allOf.length === 1) return convert(part, scope, refDepth);
      Object.assign(merged.properties as object, isObject(part.properties) ? part.properties : {});
      (merged.required as unknown[]).push(...(Array.isArray(part.required) ? part.required : []));
    }
    return convert(merged, scope, refDepth);
  }

  const type = node.type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === "string");
    if (types.length > 0 && types.every((t) => PRIMITIVE_TYPES.has(t)) && !types.includes("string")) {
      return { type: types, ...description };
    }
    // A string gets its own branch so its length limits apply.
    const branches = types.map((t) => convert({ ...node, type: t, description: undefined }, scope, refDepth));
    return branches.length === 0 ? anyValue() : { oneOf: branches, ...description };
  }
  let out: GrammarSchema;
  switch (type) {
    case "string": {
      out = { type: "string", ...description };
      if (typeof node.format === "string" && GRAMMAR_STRING_FORMATS.has(node.format))
        out.format = node.format;
      else {
        const cap = scope.maxStringChars;
        const max = typeof node.maxLength === "number" ? node.maxLength : undefined;
        const min = typeof node.minLength === "number" ? node.minLength : undefined;
        if (min !== undefined) out.minLength = cap === undefined ? min : Math.min(min, cap);
        if (max !== undefined || cap !== undefined)
          out.maxLength = Math.min(max ?? Number.POSITIVE_INFINITY, cap ?? Number.POSITIVE_INFINITY);
      }
      break;
    }
    case "number":
    case "integer":
    case "boolean":
    case "null":
      out = { type, ...description };
      break;
    case "array": {
      out = { type: "array", ...description };
      if (Array.isArray(node.prefixItems))
        out.prefixItems = node.prefixItems.map((i) => convert(i, scope, refDepth));
      if (Array.isArray(node.items)) out.prefixItems = node.items.map((i) => convert(i, scope, refDepth));
      else if (isObject(node.items)) out.items = convert(node.items, scope, refDepth);
      if (typeof node.minItems === "number") out.minItems = node.minItems;
      if (typeof node.maxItems === "number") out.maxItems = node.maxItems;
      break;
    }
    case "object":
      out = convertObject(node, scope, refDepth, description);
      break;
    default:
      if (isObject(node.properties)) out = convertObject(node, scope, refDepth, description);
      else return anyValue();
  }
  return withNullable(out, node.nullable === true);
}

function convertObject(
  node: Record<string, unknown>,
  scope: Scope,
  refDepth: number,
  description: { description?: string },
): GrammarSchema {
  const props = isObject(node.properties) ? node.properties : {};
  const names = Object.keys(props);
  if (names.length === 0) {
    // No declared properties: a free-form map (or `{}` when extra keys are explicitly forbidden).
    if (node.additionalProperties === false) return { type: "object", properties: {}, ...description };
    const extra = isObject(node.additionalProperties)
      ? convert(node.additionalProperties, scope, refDepth)
      : true;
    return { type: "object", additionalProperties: extra, ...description };
  }
  const required = new Set(
    Array.isArray(node.required) ? node.required.filter((r) => typeof r === "string") : [],
  );
  const properties: Record<string, GrammarSchema> = {};
  for (const name of names) {
    const sub = convert(props[name], scope, refDepth);
    properties[name] = required.has(name) ? sub : { oneOf: [sub, { type: "null" }] };
  }
  return { type: "object", properties, ...description };
}

function withNullable(schema: GrammarSchema, nullable: boolean): GrammarSchema {
  return nullable ? { oneOf: [schema, { type: "null" }] } : schema;
}

/** Whether a JSON Schema node itself admits `null` (type null, nullable, a null const/enum, or a null branch). */
function admitsNull(node: unknown): boolean {
  if (!isObject(node)) return node === true || node === undefined;
  if (
    node.type === "null" ||
    (Array.isArray(node.type) && node.type.includes("null")) ||
    node.nullable === true
  )
    return true;
  if ("const" in node && node.const === null) return true;
  if (Array.isArray(node.enum) && node.enum.includes(null)) return true;
  for (const key of ["anyOf", "oneOf"] as const) {
    const alts = node[key];
    if (Array.isArray(alts) && alts.some(admitsNull)) return true;
  }
  return (
    node.type === undefined &&
    node.$ref === undefined &&
    node.enum === undefined &&
    !("const" in node) &&
    node.properties === undefined
  );
}

/**
 * Removes the `null`s a grammar made the model write for optional properties (see {@link toGrammarSchema}):
 * walks `value` along `schema` and deletes an object key whose value is `null` when the key is not in `required`
 * and its own schema does not admit `null`. Recurses into declared properties and array items. Returns a new
 * value; never throws.
 */
export function stripOptionalNulls(value: unknown, schema: JSONSchema): unknown {
  const defs = {
    ...(isObject(schema.definitions) ? schema.definitions : {}),
    ...(isObject(schema.$defs) ? schema.$defs : {}),
  };
  return strip(value, schema, defs, 0);
}

function strip(value: unknown, node: unknown, defs: Record<string, unknown>, depth: number): unknown {
  if (!isObject(node) || depth > 64) return value;
  if (typeof node.$ref === "string") {
    const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(node.$ref);
    const target = match ? defs[decodeURIComponent(match[1] ?? "")] : undefined;
    return target === undefined ? value : strip(value, target, defs, depth + 1);
  }
  if (Array.isArray(value)) {
    if (isObject(node.items)) return value.map((v) => strip(v, node.items, defs, depth + 1));
    return value;
  }
  if (!isObject(value) || !isObject(node.properties)) return value;
  const props = node.properties;
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = props[key];
    if (v === null && sub !== undefined && !required.has(key) && !admitsNull(sub)) continue;
    out[key] = sub === undefined ? v : strip(v, sub, defs, depth + 1);
  }
  return out;
}

/** Tokens of a forced call that are not string content (braces, keys, name, numbers), for the string budget. */
const FORCED_CALL_OVERHEAD_TOKENS = 48;
/** Smallest per-string cap (characters) a budget can impose. */
const MIN_STRING_CHARS = 32;

/**
 * The grammar schema of one forced tool call: `oneOf` over the offered tools, each branch
 * `{ "name": <const tool name>, "arguments": <that tool's parameters> }` (name first, so it is known early while
 * streaming). Every output of a grammar built from it parses and matches exactly one tool's (grammar-subset)
 * schema. With `budgetTokens` (the output cap), every free-text string is capped at
 * max(32, (budget − 48) / <most strings in one tool>) characters, so a model that loops inside a string is
 * forced to close it and the call still completes within the budget (small models do loop: SmolLM2-135M wrote
 * "read_file_to_read_file_to…" until max tokens); a longer legitimate value is cut at that length.
 * Throws when `tools` is empty (nothing can be forced).
 */
export function forcedCallSchema(tools: readonly ToolSchema[], budgetTokens?: number): GrammarSchema {
  if (tools.length === 0)
    throw new Error("tool choice `required` needs at least one tool; none were offered");
  let maxStringChars: number | undefined;
  if (budgetTokens !== undefined) {
    const slots = Math.max(
      1,
      ...tools.map((t) => countStrings(toGrammarSchema(objectSchema(t.inputSchema)))),
    );
    maxStringChars = Math.max(
      MIN_STRING_CHARS,
      Math.floor((budgetTokens - FORCED_CALL_OVERHEAD_TOKENS) / slots),
    );
  }
  const branches = tools.map((tool) => ({
    type: "object",
    properties: {
      name: { const: tool.name },
      arguments: toGrammarSchema(objectSchema(tool.inputSchema), { maxStringChars }),
    },
  }));
  return branches.length === 1 ? (branches[0] as GrammarSchema) : { oneOf: branches };
}

/** Number of free-text string nodes in a grammar schema (an upper bound on the strings one value holds). */
function countStrings(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, item) => n + countStrings(item), 0);
  if (!isObject(node)) return 0;
  let n = node.type === "string" && node.format === undefined ? 1 : 0;
  for (const [key, value] of Object.entries(node)) {
    if (key === "oneOf" && Array.isArray(value)) n += Math.max(0, ...value.map(countStrings));
    else if (key === "properties" && isObject(value)) n += countStrings(Object.values(value));
    else if (key === "items" || key === "prefixItems" || key === "additionalProperties")
      n += countStrings(value);
  }
  return n;
}

/** A tool's parameter schema as an object schema (`type: "object"` added when absent). */
export function objectSchema(schema: JSONSchema): JSONSchema {
  return schema.type === undefined ? { ...schema, type: "object" } : schema;
}
