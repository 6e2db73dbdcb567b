import type {
  ChatHistoryItem,
  ChatModelFunctionCall,
  ChatModelFunctions,
  ChatModelResponse,
} from "node-llama-cpp";
import type { Message, ToolResultBlock } from "../../message/types.ts";
import type { ToolSchema } from "../types.ts";
import { objectSchema, toGrammarSchema } from "./embedded-schema.ts";

/** What an answered call shows when its result is missing from the history (should not happen in a valid turn). */
export const MISSING_RESULT = "(no result)";

/**
 * Converts our history to node-llama-cpp's `ChatHistoryItem[]`, so the model's chat wrapper renders it:
 * - `system` (when non-empty) becomes the first `system` item;
 * - a user message's text blocks become one `user` item (blocks joined by a blank line);
 * - an assistant message becomes a `model` item: text as strings, each tool call as a `functionCall` whose
 *   `params` are the parsed arguments (the raw text when it is not valid JSON) and whose `result` is the
 *   matching `tool_result` (by `toolCallId`) from the following user message (`"Error: …"` when `isError`);
 * - node-llama-cpp keeps calls, results and the text after them in ONE model response, so an assistant message
 *   that follows a user message holding only tool results continues the previous `model` item;
 * - reasoning blocks are dropped (chat templates drop earlier reasoning too; small windows cannot afford it);
 * - a tool result whose call is not in the history is kept as user text `[result of <tool>] …`.
 * Pure; never throws.
 */
export function toChatHistory(system: string, messages: readonly Message[]): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [];
  if (system.trim() !== "") items.push({ type: "system", text: system });
  // Calls waiting for their results, by tool call id.
  const pending = new Map<string, ChatModelFunctionCall>();
  let continueModel = false;

  for (const message of messages) {
    if (message.role === "assistant") {
      const last = items.at(-1);
      let model: ChatModelResponse;
      if (continueModel && last?.type === "model") model = last;
      else {
        model = { type: "model", response: [] };
        items.push(model);
      }
      for (const block of message.content) {
        if (block.type === "text") {
          if (block.text !== "") appendText(model, block.text);
        } else if (block.type === "tool_call") {
          const call: ChatModelFunctionCall = {
            type: "functionCall",
            name: block.name,
            params: parseArguments(block.arguments),
            result: MISSING_RESULT,
          };
          model.response.push(call);
          pending.set(block.id, call);
        }
      }
      continueModel = false;
      continue;
    }
    const texts: string[] = [];
    let answered = 0;
    for (const block of message.content) {
      if (block.type === "tool_result") {
        const call = pending.get(block.toolCallId);
        if (call) {
          call.result = resultText(block);
          pending.delete(block.toolCallId);
          answered++;
        } else texts.push(`[result of ${block.toolName}] ${resultText(block)}`);
      } else if (block.type === "text") {
        if (block.text !== "") texts.push(block.text);
      }
    }
    if (texts.length > 0) {
      items.push({ type: "user", text: texts.join("\n\n") });
      continueModel = false;
    } else continueModel = answered > 0;
  }
  return items;
}

function appendText(model: ChatModelResponse, text: string): void {
  const last = model.response.at(-1);
  if (typeof last === "string") model.response[model.response.length - 1] = last + text;
  else model.response.push(text);
}

function parseArguments(raw: string): unknown {
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function resultText(block: ToolResultBlock): string {
  return block.isError ? `Error: ${block.content}` : block.content;
}

/**
 * Our tools as node-llama-cpp function definitions (`{ [name]: { description, params } }`), with parameter
 * schemas converted to its grammar subset (see toGrammarSchema), so the chat wrapper documents them in the
 * system prompt in the model's own format and constrains the call parameters it generates.
 */
export function toChatFunctions(tools: readonly ToolSchema[]): ChatModelFunctions {
  const functions: Record<string, { description: string; params: Record<string, unknown> }> = {};
  for (const tool of tools) {
    functions[tool.name] = {
      description: tool.description,
      params: toGrammarSchema(objectSchema(tool.inputSchema)),
    };
  }
  return functions as ChatModelFunctions;
}

/** Schema keys that only cost tokens in a prompt (metadata, or defaults they restate). */
const PROMPT_NOISE_KEYS = new Set(["$schema", "$id", "additionalProperties"]);

/** A parameter schema as compact JSON for the prompt: noise keys and zod's ±2^53 integer bounds removed. */
export function compactSchemaText(schema: unknown): string {
  return JSON.stringify(schema, (key, value: unknown) => {
    if (PROMPT_NOISE_KEYS.has(key)) return undefined;
    if ((key === "maximum" || key === "minimum") && Math.abs(Number(value)) === Number.MAX_SAFE_INTEGER)
      return undefined;
    return value;
  });
}

/**
 * The system-prompt section for a forced call (tool choice `required`, where node-llama-cpp cannot document
 * functions because a grammar replaces them): one line per tool with its description and compact JSON
 * parameter schema, and the reply shape `{"name": …, "arguments": {…}}` the grammar enforces. No placeholder
 * text in the example: small models copy placeholders into their arguments.
 */
export function forcedCallInstructions(tools: readonly ToolSchema[]): string {
  const lines = tools.map(
    (t) =>
      `- ${t.name}: ${t.description.trim()} Parameters: ${compactSchemaText(objectSchema(t.inputSchema))}`,
  );
  return [
    "Call exactly one of these tools now:",
    ...lines,
    'Reply with only a JSON object {"name": ..., "arguments": {...}} where "arguments" holds that tool\'s parameters.',
  ].join("\n");
}
