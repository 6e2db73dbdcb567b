import type { ContentBlock, Message, ToolCallBlock, ToolResultBlock, Usage } from "./types.ts";

/** A user message holding one text block. */
export function userText(text: string): Message {
  return { role: "user", content: [{ type: "text", text }] };
}

/** An assistant message holding one text block. */
export function assistantText(text: string): Message {
  return { role: "assistant", content: [{ type: "text", text }] };
}

/** A user-role message carrying tool results (the shape every provider adapter expects). */
export function toolResultsMessage(results: ToolResultBlock[]): Message {
  return { role: "user", content: results };
}

/** Concatenated text of a message's text blocks (reasoning and tool blocks excluded). */
export function textOf(message: Message): string {
  return message.content
    .filter((b): b is Extract<ContentBlock, { type: "text" }> => b.type === "text")
    .map((b) => b.text)
    .join("");
}

/** The tool calls in a message, in order. */
export function toolCallsOf(message: Message): ToolCallBlock[] {
  return message.content.filter((b): b is ToolCallBlock => b.type === "tool_call");
}

/** The tool results in a message, in order. */
export function toolResultsOf(message: Message): ToolResultBlock[] {
  return message.content.filter((b): b is ToolResultBlock => b.type === "tool_result");
}

/** True when the message is a tool-results message (every block a tool_result, at least one). */
export function isToolResultsMessage(message: Message): boolean {
  return (
    message.role === "user" &&
    message.content.length > 0 &&
    message.content.every((b) => b.type === "tool_result")
  );
}

/** A zero usage record. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0 };
}

/** Sums `b` into a copy of `a` (optional cache counts are summed when either side has them). */
export function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
  if (a.cacheReadTokens !== undefined || b.cacheReadTokens !== undefined) {
    out.cacheReadTokens = (a.cacheReadTokens ?? 0) + (b.cacheReadTokens ?? 0);
  }
  if (a.cacheWriteTokens !== undefined || b.cacheWriteTokens !== undefined) {
    out.cacheWriteTokens = (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0);
  }
  return out;
}
