import type { Message } from "../message/types.ts";
import { SELECT_CATEGORY } from "./two-stage.ts";

/**
 * The history as a local arm's model sees it under two-stage routing: select_category calls and their results
 * left out (they are routing, not work, and small models imitate them: issue 8 saw `[prior result of
 * select_category: 91 chars]` copied into answers). A message left empty by this is dropped; an assistant
 * message left with only text is joined to the assistant message after it when the two end up next to each
 * other (chat templates expect roles to alternate). The history itself is not changed.
 */
export function withoutCategoryPicks(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  for (const message of messages) {
    const content = message.content.filter(
      (b) =>
        !(b.type === "tool_call" && b.name === SELECT_CATEGORY) &&
        !(b.type === "tool_result" && b.toolName === SELECT_CATEGORY),
    );
    if (content.length === 0) continue;
    const kept = content.length === message.content.length ? message : { ...message, content };
    const last = out.at(-1);
    const textOnly = last?.content.every((b) => b.type === "text" || b.type === "reasoning") ?? false;
    if (last?.role === "assistant" && kept.role === "assistant" && textOnly) {
      out[out.length - 1] = { ...last, content: [...last.content, ...kept.content] };
    } else out.push(kept);
  }
  return out;
}
