import type { Message } from "../message/types.ts";

/**
 * Summary compaction, the pure part: what the summary request says, how the conversation it summarises is
 * written out, and the messages that stand for the summary in the history afterwards. The model call itself is
 * the engine's (engine/summarise.ts); which part of the history is summarised is compaction-plan.ts.
 *
 * As in gnoma's compaction and Claude Code's `/compact`: older rounds are replaced by a model-written summary,
 * the latest rounds stay verbatim. owlet asks for a fixed structure so the thread survives several compactions.
 */

/** The engine's two-stage category pick (engine/two-stage.ts SELECT_CATEGORY): routing, not work, so left out. */
const SELECT_CATEGORY_NAME = "select_category";

/** The sections every summary has, in order (the request asks for exactly these headings). */
export const SUMMARY_SECTIONS = ["Goal", "Decisions", "Files touched", "Open problems", "Next step"] as const;

/** The system prompt of a summary request. */
export const SUMMARY_SYSTEM = [
  "You summarise a coding session between a user and owlet, a coding assistant, so that the session can go on",
  "without the original messages. Write plain Markdown with exactly these headings, in this order:",
  ...SUMMARY_SECTIONS.map((s) => `## ${s}`),
  "Keep every fact the user gave (names, numbers, codes, paths, versions, preferences) word for word, every",
  "decision made and why, every file read or changed, errors still open, and the next step. Do not invent",
  "anything. Be brief: at most 300 words. Reply with the summary only.",
].join("\n");

/** First line of the user message that stands for a summary in the history. */
export const SUMMARY_HEADER = "[Summary of the earlier conversation, written when the context window filled]";
/** Heading before the current turn's prompt when the summary covers part of the current turn. */
export const CURRENT_TASK_HEADER = "[The current task, as the user wrote it]";
/** The assistant acknowledgement after a summary message when the next kept message is a user message. */
export const SUMMARY_ACK = "OK, I have the summary and will continue from it.";

/** Longest tool result written into a summary transcript, chars (head and tail kept, the middle cut). */
export const TRANSCRIPT_RESULT_CHARS = 2000;
/** Longest tool-call arguments written into a summary transcript, chars. */
export const TRANSCRIPT_ARGUMENTS_CHARS = 400;

/**
 * The messages that replace the summarised part of a history: a user message (the {@link SUMMARY_HEADER}, the
 * summary and, when the summary covers part of the current turn, its prompt verbatim under
 * {@link CURRENT_TASK_HEADER}), then the {@link SUMMARY_ACK} assistant message when `nextRole` (the role of the
 * first message kept after it) is `user`, so roles keep alternating.
 */
export function summaryMessages(
  summary: string,
  nextRole: Message["role"] | undefined,
  prompt?: string,
): Message[] {
  let text = `${SUMMARY_HEADER}\n${summary.trim()}`;
  if (prompt !== undefined) text += `\n\n${CURRENT_TASK_HEADER}\n${prompt}`;
  const head: Message = { role: "user", content: [{ type: "text", text }] };
  return nextRole === "user"
    ? [head, { role: "assistant", content: [{ type: "text", text: SUMMARY_ACK }] }]
    : [head];
}

/** True for a message made by {@link summaryMessages} (the summary itself, not its acknowledgement). */
export function isSummaryMessage(message: Message): boolean {
  const first = message.content[0];
  return message.role === "user" && first?.type === "text" && first.text.startsWith(SUMMARY_HEADER);
}

/** The summary text of a {@link summaryMessages} message (without the header and the current task), else undefined. */
export function summaryTextOf(message: Message): string | undefined {
  if (!isSummaryMessage(message)) return undefined;
  const text = (message.content[0] as { text: string }).text.slice(SUMMARY_HEADER.length + 1);
  const task = text.indexOf(`\n\n${CURRENT_TASK_HEADER}\n`);
  return task >= 0 ? text.slice(0, task) : text;
}

/** `text` cut to `max` chars: its head and tail with a `[… N chars cut …]` note between. */
export function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(0, max - 40);
  const head = Math.ceil(keep * 0.7);
  const tail = keep - head;
  return `${text.slice(0, head)}\n[… ${text.length - keep} chars cut …]\n${text.slice(text.length - tail)}`;
}

/** Options of {@link transcriptItems}. Sizes in chars. */
export interface TranscriptOptions {
  /** Longest tool result kept; default {@link TRANSCRIPT_RESULT_CHARS}. */
  maxResultChars?: number;
  /** Longest tool-call arguments kept; default {@link TRANSCRIPT_ARGUMENTS_CHARS}. */
  maxArgumentsChars?: number;
}

/**
 * The conversation as plain text for a summary request, one item per message: `User: …`, `Assistant: …`,
 * `Assistant called <tool> <arguments>`, `Result of <tool>: …` (`Error from <tool>: …` for a failed call), and
 * an earlier summary as `Summary of the conversation before this: …`. Tool results and arguments are clipped
 * (see {@link clipMiddle}); reasoning and two-stage category picks are left out. Empty messages give no item.
 */
export function transcriptItems(messages: Message[], opts: TranscriptOptions = {}): string[] {
  const maxResult = opts.maxResultChars ?? TRANSCRIPT_RESULT_CHARS;
  const maxArgs = opts.maxArgumentsChars ?? TRANSCRIPT_ARGUMENTS_CHARS;
  const items: string[] = [];
  for (const message of messages) {
    const earlier = summaryTextOf(message);
    if (earlier !== undefined) {
      items.push(`Summary of the conversation before this:\n${earlier}`);
      continue;
    }
    const lines: string[] = [];
    for (const block of message.content) {
      if (block.type === "text" && block.text.trim() !== "") {
        if (block.text === SUMMARY_ACK) continue;
        lines.push(`${message.role === "user" ? "User" : "Assistant"}: ${block.text.trim()}`);
      } else if (block.type === "tool_call" && block.name !== SELECT_CATEGORY_NAME) {
        lines.push(`Assistant called ${block.name} ${clipMiddle(block.arguments, maxArgs)}`);
      } else if (block.type === "tool_result" && block.toolName !== SELECT_CATEGORY_NAME) {
        const label = block.isError ? "Error from" : "Result of";
        lines.push(`${label} ${block.toolName}:\n${clipMiddle(block.content, maxResult)}`);
      }
    }
    if (lines.length > 0) items.push(lines.join("\n"));
  }
  return items;
}

/**
 * The user message of one summary request: the transcript part (`items`, joined by blank lines), the summary
 * so far when this request continues a rolling summary (`previous`), and what the user asked to keep in focus
 * (`focus`, from `/compact <focus>` or `owlet compact <focus>`) plus any instructions a PreCompact hook added.
 */
export function summaryRequestText(items: string[], previous?: string, focus?: string): string {
  const parts: string[] = [];
  if (previous) parts.push(`The summary so far (extend it with what follows):\n${previous.trim()}`);
  parts.push(`The conversation to summarise:\n\n${items.join("\n\n")}`);
  if (focus?.trim()) parts.push(`Keep in focus: ${focus.trim()}`);
  parts.push(
    `Write the summary now, with the headings ${SUMMARY_SECTIONS.map((s) => `"## ${s}"`).join(", ")}.`,
  );
  return parts.join("\n\n");
}
