import type { Usage } from "../../message/types.ts";

/**
 * The shapes of Claude Code's print-mode wire (`--output-format stream-json` / `json`) that owlet emits, as
 * declared by `@anthropic-ai/claude-agent-sdk`'s sdk.d.ts (SDKSystemMessage, SDKAssistantMessage, SDKUserMessage,
 * SDKPartialAssistantMessage, SDKResultMessage, SDKControlRequest/Response) and as recorded from Claude Code
 * 2.1.328 (test/fixtures/claude-code/). Only the fields owlet fills; each line is a plain JSON object.
 */

/** The Claude Code version whose stream-json these shapes follow (`claude_code_version` in system/init). */
export const CLAUDE_CODE_WIRE_VERSION = "2.1.328";

/** Any line owlet writes: `type` first, snake_case fields as Claude Code's. */
export type WireLine = { type: string; [key: string]: unknown };

/** Anthropic Messages API usage as Claude Code reports it (tokens). */
export interface WireUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  server_tool_use: { web_search_requests: number; web_fetch_requests: number };
  service_tier: string;
  cache_creation: { ephemeral_1h_input_tokens: number; ephemeral_5m_input_tokens: number };
}

/** One entry of `result.modelUsage`, keyed by model (tokens, USD). */
export interface WireModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  webSearchRequests: number;
  costUSD: number;
  /** Tokens; 0 when owlet does not know the model's window. */
  contextWindow: number;
  maxOutputTokens: number;
}

/** A content block of an assistant or user message (Anthropic Messages API block shapes). */
export type WireBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "tool_result"; tool_use_id: string; content: string; is_error?: boolean };

/** Claude Code's permission modes (`--permission-mode`, system/init `permissionMode`). */
export const CLAUDE_PERMISSION_MODES = [
  "default",
  "acceptEdits",
  "bypassPermissions",
  "plan",
  "dontAsk",
  "auto",
] as const;

/**
 * Claude Code's `result` subtypes: `success` (the model ended its turn; `is_error` may still be true, as for an
 * owlet status other than success), and the error subtypes that say why the turn stopped early.
 */
export type ResultSubtype =
  | "success"
  | "error_max_turns"
  | "error_during_execution"
  | "error_max_budget_usd"
  | "error_max_structured_output_retries";

/** Anthropic usage object from owlet's (tokens). */
export function wireUsage(u: Usage): WireUsage {
  return {
    input_tokens: u.inputTokens,
    cache_creation_input_tokens: u.cacheWriteTokens ?? 0,
    cache_read_input_tokens: u.cacheReadTokens ?? 0,
    output_tokens: u.outputTokens,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: "standard",
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
  };
}
