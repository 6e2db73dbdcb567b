/**
 * Forced tool choice that the server enforces. For a round whose tool choice is `required`, the output is
 * constrained to one call `{"name": <an offered tool>, "arguments": <its parameters>}` by the mechanism the
 * server offers, so the call is valid by construction (as the embedded arm's grammar does, and with the same
 * schema: embedded-schema.ts `forcedCallSchema`). The call then arrives as JSON text and is turned back into
 * a tool call by {@link parseForcedCall}.
 *
 * Request fields, as each server documents them:
 * - llama.cpp `llama-server` (tools/server/README.md, server-common.cpp): `json_schema` on
 *   `/v1/chat/completions` (converted to a GBNF grammar server-side). A custom grammar cannot be combined with
 *   tools unless `tool_choice` is `none` ("Cannot use custom grammar constraints with tools"), so the tools stay
 *   in the request (the chat template still shows them to the model, and the prompt prefix stays the same as in
 *   unforced rounds) and `tool_choice` becomes `none`.
 * - vLLM: `structured_outputs: {"json": schema}` (≥ 0.10.2) or `guided_json` (older; removed in 0.12), and
 *   `tool_choice: "none"` likewise.
 * - LM Studio: OpenAI's `response_format: {"type": "json_schema", "json_schema": {name, strict, schema}}`.
 * - Ollama `/api/chat`: `format: <JSON schema>`.
 * Servers of unknown kind get nothing: today's text-call parsing stays the fallback.
 */
import type { JSONSchema, ToolSchema } from "../../types.ts";
import {
  forcedCallSchema,
  type GrammarSchema,
  objectSchema,
  stripOptionalNulls,
} from "../embedded-schema.ts";
import { type ServerInfo, vllmHasStructuredOutputs } from "./kind.ts";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The forced-call schema for servers whose converters honour `required` (llama.cpp, vLLM, Ollama, LM Studio):
 * {@link forcedCallSchema} (which lists every property and makes optional ones nullable, for node-llama-cpp's
 * grammar that ignores `required`) with every listed property required and no extra keys, so `{}` or a call
 * without `name` cannot be produced. Strings are capped to fit `budgetTokens` as forcedCallSchema does.
 * Throws when `tools` is empty.
 */
export function serverForcedCallSchema(tools: readonly ToolSchema[], budgetTokens?: number): JSONSchema {
  return requireAll(forcedCallSchema(tools, budgetTokens)) as JSONSchema;
}

function requireAll(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(requireAll);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "properties" && isRecord(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, requireAll(sub)]));
    } else if (k === "const" || k === "enum") out[k] = v;
    else out[k] = requireAll(v);
  }
  if (isRecord(out.properties)) {
    out.required = Object.keys(out.properties);
    if (out.additionalProperties === undefined) out.additionalProperties = false;
  }
  return out;
}

/**
 * The body fields that constrain a forced round on a server of `info.kind` to one valid call of `tools`, or
 * undefined when the server offers no constraint owlet knows (kind `unknown`). `budgetTokens` is the round's
 * completion cap. Fields are merged into the JSON body as is (see the module comment for each server's).
 */
export function forcedRoundFields(
  info: ServerInfo,
  tools: readonly ToolSchema[],
  budgetTokens: number,
): Record<string, unknown> | undefined {
  if (tools.length === 0) return undefined;
  const schema = serverForcedCallSchema(tools, budgetTokens);
  switch (info.kind) {
    case "llamacpp":
      return { json_schema: schema, tool_choice: "none" };
    case "vllm":
      return vllmHasStructuredOutputs(info.version)
        ? { structured_outputs: { json: schema }, tool_choice: "none" }
        : { guided_json: schema, tool_choice: "none" };
    case "lmstudio":
      return {
        response_format: { type: "json_schema", json_schema: { name: "tool_call", strict: true, schema } },
        tool_choice: "none",
      };
    case "ollama":
      return { format: schema };
    default:
      return undefined;
  }
}

/** A call read back from constrained output. `arguments` is JSON text. */
export interface ForcedCall {
  name: string;
  arguments: string;
}

/**
 * Reads the text of a constrained forced round as one call: JSON `{"name", "arguments"}` whose name is one of
 * `tools`; the nulls the schema made the model write for optional arguments are removed again
 * (`stripOptionalNulls`). Returns undefined when the text is not such a call (e.g. cut by the cap mid-way).
 */
export function parseForcedCall(text: string, tools: readonly ToolSchema[]): ForcedCall | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text.trim());
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.name !== "string") return undefined;
  const tool = tools.find((t) => t.name === value.name);
  if (!tool) return undefined;
  const args = value.arguments === undefined ? {} : value.arguments;
  if (!isRecord(args)) return undefined;
  return {
    name: tool.name,
    arguments: JSON.stringify(stripOptionalNulls(args, objectSchema(tool.inputSchema))),
  };
}

/** Re-exported for tests: the grammar-subset schema type. */
export type { GrammarSchema };
