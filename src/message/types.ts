/**
 * Conversation types shared by every layer. Plain data, JSON-serialisable, no dependencies.
 *
 * Tool results travel inside a `user`-role message whose blocks are `tool_result`s (as in gnoma
 * and the Anthropic wire format); the provider layer converts that to each API's own shape.
 */

/** Who wrote a message. System prompts are not messages: they travel beside the history. */
export type Role = "user" | "assistant";

/** Plain visible text. */
export interface TextBlock {
  type: "text";
  text: string;
}

/** Model reasoning ("thinking"); `signature` must round-trip for Anthropic. */
export interface ReasoningBlock {
  type: "reasoning";
  text: string;
  signature?: string;
}

/**
 * A tool call made by the model. `arguments` is the raw JSON text the model produced (may be invalid).
 * `signature` is an opaque provider token that must be sent back with the call (Gemini's thought signature).
 */
export interface ToolCallBlock {
  type: "tool_call";
  id: string;
  name: string;
  arguments: string;
  signature?: string;
}

/** The result of one tool call, answered by the engine. `isError` marks failures the model must see as such. */
export interface ToolResultBlock {
  type: "tool_result";
  toolCallId: string;
  toolName: string;
  content: string;
  isError: boolean;
  /**
   * Set when the tool never ran: `denied` by the permission gate, `invalid` arguments or an unknown tool,
   * `interrupted` before it started. Absent for a tool that ran (whatever its outcome).
   */
  notRun?: "denied" | "invalid" | "interrupted";
}

/** One content block of a message. */
export type ContentBlock = TextBlock | ReasoningBlock | ToolCallBlock | ToolResultBlock;

/** One message of the conversation history. */
export interface Message {
  role: Role;
  content: ContentBlock[];
}

/** Token usage of one request or a sum over several (all counts in tokens). */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/**
 * Why the model stopped: `end_turn` (it finished), `tool_use` (it wants tool results),
 * `max_tokens` (output budget hit mid-answer), `stop_sequence` (a stop sequence matched).
 */
export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";
