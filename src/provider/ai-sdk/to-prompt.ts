/**
 * Converts owlet's request shapes (system prompt + `Message[]`, `ToolSchema[]`, `ToolChoice`) into the
 * AI SDK's LanguageModelV4 call shapes, which every @ai-sdk/* provider then maps to its own wire format.
 */
import type {
  LanguageModelV4FunctionTool,
  LanguageModelV4Message,
  LanguageModelV4Prompt,
  LanguageModelV4ToolChoice,
  LanguageModelV4ToolResultPart,
} from "@ai-sdk/provider";
import type { Message } from "../../message/types.ts";
import type { ToolChoice, ToolSchema } from "../types.ts";

type AssistantPart = Extract<LanguageModelV4Message, { role: "assistant" }>["content"][number];
type UserPart = Extract<LanguageModelV4Message, { role: "user" }>["content"][number];

/**
 * Parses a tool call's raw argument text into the object the V4 `tool-call` part needs. Invalid JSON, or
 * JSON that is not an object (e.g. `[1]`, `"x"`), becomes `{}`: the history must stay sendable even when
 * a model once produced broken arguments (the engine already reported that to the model).
 */
export function parseToolArguments(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/**
 * Builds a V4 prompt: a `system` message first (omitted when `system` is empty), then each message.
 * - user text blocks → a `user` message of text parts;
 * - user `tool_result` blocks → a `tool` message (placed before any text of the same message) whose
 *   parts carry output `{type:"text"}`, or `{type:"error-text"}` when `isError`;
 * - assistant text → text parts; reasoning → reasoning parts (a signature travels as
 *   `providerOptions.anthropic.signature`, which @ai-sdk/anthropic needs to round-trip thinking);
 *   tool calls → `tool-call` parts with `input` = parsed arguments (see `parseToolArguments`).
 * Empty text blocks are dropped and a message left with no parts is omitted (Anthropic rejects empty
 * content). Blocks that cannot occur in a role (a tool call in a user message) are ignored.
 */
export function toV4Prompt(system: string, messages: readonly Message[]): LanguageModelV4Prompt {
  const prompt: LanguageModelV4Prompt = [];
  if (system.length > 0) prompt.push({ role: "system", content: system });
  for (const message of messages) {
    if (message.role === "assistant") {
      const parts: AssistantPart[] = [];
      for (const block of message.content) {
        if (block.type === "text") {
          if (block.text.length > 0) parts.push({ type: "text", text: block.text });
        } else if (block.type === "reasoning") {
          if (block.text.length === 0 && block.signature === undefined) continue;
          parts.push(
            block.signature !== undefined
              ? {
                  type: "reasoning",
                  text: block.text,
                  providerOptions: { anthropic: { signature: block.signature } },
                }
              : { type: "reasoning", text: block.text },
          );
        } else if (block.type === "tool_call") {
          parts.push({
            type: "tool-call",
            toolCallId: block.id,
            toolName: block.name,
            input: parseToolArguments(block.arguments),
          });
        }
      }
      if (parts.length > 0) prompt.push({ role: "assistant", content: parts });
      continue;
    }
    const results: LanguageModelV4ToolResultPart[] = [];
    const texts: UserPart[] = [];
    for (const block of message.content) {
      if (block.type === "tool_result") {
        results.push({
          type: "tool-result",
          toolCallId: block.toolCallId,
          toolName: block.toolName,
          output: block.isError
            ? { type: "error-text", value: block.content }
            : { type: "text", value: block.content },
        });
      } else if (block.type === "text" && block.text.length > 0) {
        texts.push({ type: "text", text: block.text });
      }
    }
    if (results.length > 0) prompt.push({ role: "tool", content: results });
    if (texts.length > 0) prompt.push({ role: "user", content: texts });
  }
  return prompt;
}

/** Maps tool schemas to V4 function tools (`inputSchema` is passed through as JSON Schema). */
export function toV4Tools(tools: readonly ToolSchema[]): LanguageModelV4FunctionTool[] {
  return tools.map((t) => ({
    type: "function",
    name: t.name,
    description: t.description,
    inputSchema: t.inputSchema as LanguageModelV4FunctionTool["inputSchema"],
  }));
}

/**
 * Maps a tool choice to V4 (`auto` / `required` / `none`). Returns undefined when there are no tools,
 * because several servers reject `tool_choice` without `tools`; `choice` defaults to `auto` otherwise.
 */
export function toV4ToolChoice(
  choice: ToolChoice | undefined,
  toolCount: number,
): LanguageModelV4ToolChoice | undefined {
  if (toolCount === 0) return undefined;
  return { type: choice ?? "auto" };
}
