/**
 * Round kinds and completion caps for local model servers. A server may hold generated text back while it
 * waits for a tool call (llama.cpp's tool-call parser does), so no client-side detector can see a runaway:
 * only a completion cap (`max_tokens`) sent with the request bounds it. The cap is chosen per round kind.
 */
import type { JSONSchema, ProviderRequest, ToolSchema } from "../../types.ts";

/**
 * - `select`: a forced call whose every offered tool takes no free text (only enums, numbers, booleans),
 *   e.g. two-stage's category pick: a few dozen tokens.
 * - `call`: any other forced call without a file-writing tool offered.
 * - `write`: a file-writing tool is offered (the call may carry a whole file).
 * - `answer`: anything else (tool choice `auto`/`none` without a writing tool): prose or a short call.
 */
export type RoundKind = "select" | "call" | "write" | "answer";

/** Completion caps per round kind, tokens. */
export type RoundCaps = Readonly<Record<RoundKind, number>>;

/**
 * Default caps, tokens. `select` fits `{"name": "select_category", "arguments": {"category": "write"}}` as
 * llama.cpp's JSON grammar lets Qwen2.5 write it (pretty-printed: every newline and indent is a token; 64 tokens
 * were measured to end one token short of the closing brace); `write` fits a ~150-line file; `answer` a short
 * explanation or a call with a command.
 */
export const DEFAULT_ROUND_CAPS: RoundCaps = { select: 128, call: 512, write: 2048, answer: 1024 };

/** Argument names that carry file content (fs_write's `content`, fs_edit's `new_string`, and common variants). */
const CONTENT_ARGUMENTS = new Set([
  "content",
  "new_string",
  "new_content",
  "new_text",
  "patch",
  "diff",
  "replacement",
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Whether a tool writes files: a top-level string argument named like file content (see CONTENT_ARGUMENTS). */
export function writesFiles(tool: ToolSchema): boolean {
  const props = isRecord(tool.inputSchema.properties) ? tool.inputSchema.properties : {};
  return Object.keys(props).some((k) => CONTENT_ARGUMENTS.has(k));
}

/** Whether a schema admits free text anywhere (a string without enum/const), i.e. its size is unbounded. */
export function takesFreeText(schema: unknown, depth = 0): boolean {
  if (depth > 32) return true;
  if (schema === true || schema === undefined) return true;
  if (!isRecord(schema)) return false;
  if ("const" in schema || Array.isArray(schema.enum)) return false;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes("string")) return true;
  for (const key of ["anyOf", "oneOf", "allOf", "prefixItems"] as const) {
    const alts = schema[key];
    if (Array.isArray(alts) && alts.some((a) => takesFreeText(a, depth + 1))) return true;
  }
  if (
    isRecord(schema.properties) &&
    Object.values(schema.properties).some((p) => takesFreeText(p, depth + 1))
  )
    return true;
  if (schema.items !== undefined && takesFreeText(schema.items, depth + 1)) return true;
  if (isRecord(schema.additionalProperties) && takesFreeText(schema.additionalProperties, depth + 1))
    return true;
  if (typeof schema.$ref === "string") return true;
  // An object without declared properties is a free-form map: unbounded.
  return types.includes("object") && !isRecord(schema.properties) && schema.additionalProperties !== false;
}

/** The kind of a round, from what the request offers (see {@link RoundKind}). */
export function roundKind(request: Pick<ProviderRequest, "tools" | "toolChoice">): RoundKind {
  const offered = request.toolChoice === "none" ? [] : request.tools;
  if (offered.some(writesFiles)) return "write";
  if (request.toolChoice === "required" && offered.length > 0) {
    return offered.every((t) => !takesFreeText(t.inputSchema as JSONSchema)) ? "select" : "call";
  }
  return "answer";
}

/**
 * The completion cap for a request: the cap of its round kind, or the request's own `maxOutputTokens` when
 * that is smaller. Tokens; always a positive integer.
 */
export function roundCap(request: ProviderRequest, caps: RoundCaps = DEFAULT_ROUND_CAPS): number {
  const cap = caps[roundKind(request)];
  const asked = request.maxOutputTokens;
  return Math.max(1, Math.floor(asked !== undefined && asked > 0 ? Math.min(asked, cap) : cap));
}
