/**
 * Converts owlet's request shapes (system prompt + `Message[]`, `ToolSchema[]`, `ToolChoice`) into the
 * AI SDK's LanguageModelV4 call shapes, which every @ai-sdk/* provider then maps to its own wire format.
 */
import { createHash } from "node:crypto";
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
 *   tool calls → `tool-call` parts with `input` = parsed arguments (see `parseToolArguments`) and a
 *   signature as `providerOptions.google.thoughtSignature` (Gemini 3 expects it back with the call).
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
            ...(block.signature !== undefined
              ? { providerOptions: { google: { thoughtSignature: block.signature } } }
              : {}),
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

/**
 * For wire formats with no error flag on tool results (OpenAI-compatible servers, Mistral, Ollama: their
 * AI SDK providers send an `error-text` output as bare text), rewrites each `error-text` tool-result
 * output as text starting with "Error: ", so the model still sees that the call failed (as gnoma's tools
 * report failures: output strings starting with "Error:"). Text already starting with "error" is kept.
 * Returns a new prompt; other messages and parts are shared with `prompt`.
 */
export function markToolErrorsAsText(prompt: LanguageModelV4Prompt): LanguageModelV4Prompt {
  return prompt.map((message) => {
    if (message.role !== "tool") return message;
    return {
      ...message,
      content: message.content.map((part) => {
        if (part.type !== "tool-result" || part.output.type !== "error-text") return part;
        const value = part.output.value;
        const text = /^\s*error\b/i.test(value) ? value : `Error: ${value}`;
        return { ...part, output: { type: "text", value: text } };
      }),
    };
  });
}

/** Text of the assistant message `bridgeToolResultsToUser` inserts. */
export const TOOL_RESULTS_BRIDGE_TEXT = "OK.";

/**
 * For Mistral, whose API rejects a `user` message right after `tool` results (HTTP 400 "Unexpected role
 * 'user' after role 'tool'", invalid_request_message_order; avante-corp/avante.nvim#2562,
 * zed-industries/zed#37021): inserts a short assistant message (`TOOL_RESULTS_BRIDGE_TEXT`) between
 * them, as other agents do. That order occurs when tool results and user text share a message, or when
 * a turn ended right after its tool results (interrupt, detector stop) and the user writes again.
 * Returns a new prompt; messages are shared with `prompt`.
 */
export function bridgeToolResultsToUser(prompt: LanguageModelV4Prompt): LanguageModelV4Prompt {
  const out: LanguageModelV4Prompt = [];
  for (const message of prompt) {
    if (message.role === "user" && out.at(-1)?.role === "tool")
      out.push({ role: "assistant", content: [{ type: "text", text: TOOL_RESULTS_BRIDGE_TEXT }] });
    out.push(message);
  }
  return out;
}

const MISTRAL_ID = /^[a-zA-Z0-9]{9}$/;
const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A stable 9-character alphanumeric id derived from `id` (SHA-256, each byte mapped onto [a-zA-Z0-9]). */
export function mistralToolCallId(id: string): string {
  if (MISTRAL_ID.test(id)) return id;
  const digest = createHash("sha256").update(id).digest();
  let out = "";
  for (let i = 0; i < 9; i++) out += ALNUM[digest[i]! % ALNUM.length];
  return out;
}

/**
 * For Mistral, whose API rejects any tool call id that is not exactly 9 characters of [a-zA-Z0-9]
 * (HTTP 400 "Tool call id was call_1 but must be a-z, A-Z, 0-9, with a length of 9"; as fixed in
 * langchain-ai/langchain#24668): rewrites the ids of tool-call and tool-result parts with
 * `mistralToolCallId`, so a history made by another arm (llama.cpp ids, text tool-call ids `call_<n>`)
 * stays sendable. Ids Mistral made itself are kept. Returns a new prompt.
 */
export function toMistralToolCallIds(prompt: LanguageModelV4Prompt): LanguageModelV4Prompt {
  return prompt.map((message) => {
    if (message.role === "assistant")
      return {
        ...message,
        content: message.content.map((part) =>
          part.type === "tool-call" || part.type === "tool-result"
            ? { ...part, toolCallId: mistralToolCallId(part.toolCallId) }
            : part,
        ),
      };
    if (message.role === "tool")
      return {
        ...message,
        content: message.content.map((part) =>
          part.type === "tool-result" ? { ...part, toolCallId: mistralToolCallId(part.toolCallId) } : part,
        ),
      };
    return message;
  });
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
