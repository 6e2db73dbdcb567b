/**
 * The tool list and call format shown to models without native tool calls.
 */
import type { JSONSchema, ToolSchema } from "../types.ts";

/**
 * Renders `tools` for the system prompt: one line per tool, `name(param: type, opt?: type) - description`
 * (description cut to its first sentence, at most 160 characters), then the Hermes call format the
 * parser prefers and how results come back. Kept short because small models pay for every token
 * (about 280 characters, ~75 tokens, of instructions plus one line per tool). Returns "" for no tools.
 */
export function renderToolsForPrompt(tools: ToolSchema[]): string {
  if (tools.length === 0) return "";
  const lines = tools.map(
    (tool) => `- ${tool.name}(${renderParams(tool.inputSchema)})${describe(tool.description)}`,
  );
  return [
    "# Tools",
    ...lines,
    "",
    "To call a tool, reply with exactly:",
    '<tool_call>{"name": "TOOL_NAME", "arguments": {"param": "value"}}</tool_call>',
    'Use one <tool_call> per call, with valid JSON arguments. After your calls, stop: each result comes back as <tool_response name="TOOL_NAME">…</tool_response>.',
  ].join("\n");
}

function describe(description: string): string {
  const first = description.trim().split(/(?<=[.!?])\s|\n/)[0] ?? "";
  const cut = first.length > 160 ? `${first.slice(0, 157)}...` : first;
  return cut === "" ? "" : ` - ${cut}`;
}

function renderParams(schema: JSONSchema): string {
  const properties = schema.properties;
  if (typeof properties !== "object" || properties === null) return "";
  const required = new Set(Array.isArray(schema.required) ? (schema.required as unknown[]).map(String) : []);
  return Object.entries(properties as Record<string, unknown>)
    .map(([key, prop]) => `${key}${required.has(key) ? "" : "?"}: ${renderType(prop)}`)
    .join(", ");
}

function renderType(prop: unknown): string {
  if (typeof prop !== "object" || prop === null) return "any";
  const p = prop as Record<string, unknown>;
  if (Array.isArray(p.enum)) return p.enum.map((v) => JSON.stringify(v)).join("|");
  if (Array.isArray(p.anyOf)) return p.anyOf.map(renderType).join("|");
  const type = p.type;
  if (Array.isArray(type)) return type.map(String).join("|");
  if (type === "array") return `${renderType(p.items)}[]`;
  if (typeof type === "string") return type;
  return "any";
}
