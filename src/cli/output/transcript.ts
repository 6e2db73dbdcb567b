/** A stored conversation as text for `owlet sessions show`. */
import { isSummaryMessage, summaryTextOf } from "../../context/summary.ts";
import type { Message } from "../../message/types.ts";

/** Longest tool result or argument text shown per block, chars. */
export const SHOWN_RESULT_CHARS = 300;

function clip(text: string, max: number): string {
  const flat = text.trim();
  return flat.length > max ? `${flat.slice(0, max)}… [${flat.length - max} more chars]` : flat;
}

/**
 * The messages as readable lines: `user: …`, `assistant: …`, `  → tool(args)`, `  ← tool: result` (`✗` for an
 * error), and a summary message as `[summary of earlier messages]` followed by its text. Tool output and
 * arguments are cut to {@link SHOWN_RESULT_CHARS}; reasoning is left out.
 */
export function renderTranscript(messages: Message[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    if (isSummaryMessage(message)) {
      lines.push("[summary of earlier messages]", summaryTextOf(message) ?? "", "");
      continue;
    }
    for (const block of message.content) {
      if (block.type === "text" && block.text.trim()) lines.push(`${message.role}: ${block.text.trim()}`);
      else if (block.type === "tool_call")
        lines.push(`  → ${block.name}(${clip(block.arguments, SHOWN_RESULT_CHARS)})`);
      else if (block.type === "tool_result")
        lines.push(
          `  ${block.isError ? "✗" : "←"} ${block.toolName}: ${clip(block.content, SHOWN_RESULT_CHARS)}`,
        );
    }
  }
  return `${lines.join("\n")}\n`;
}
