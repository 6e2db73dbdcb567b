/**
 * Seeded random histories for the context-layer property tests (not shipped code).
 * Shapes follow the engine: per turn a user prompt, then rounds of assistant tool calls answered by one
 * tool-results message, optional engine notes ("continue") inside the current turn, and an assistant answer
 * ending earlier turns.
 */
import type { Message, ToolCallBlock, ToolResultBlock } from "../message/types.ts";
import { mulberry32 as rng } from "../router/prng.ts";

/** A random history plus where its current turn starts. */
export interface RandomHistory {
  messages: Message[];
  /** Index of the current turn's first user message. */
  turnStart: number;
  /** The current turn's first user message (the task). */
  task: Message;
}

const TOOLS = ["fs_read", "fs_grep", "fs_edit", "bash", "fs_ls"];

/** Builds one random, role-alternating, well-paired history. */
export function randomHistory(random: () => number): RandomHistory {
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const text = (max: number) => "word ".repeat(int(1, Math.max(1, Math.floor(max / 5))));
  const messages: Message[] = [];
  let callId = 0;
  const turns = int(1, 4);
  let turnStart = 0;
  for (let turn = 0; turn < turns; turn++) {
    const current = turn === turns - 1;
    if (current) turnStart = messages.length;
    messages.push({ role: "user", content: [{ type: "text", text: `task ${turn}: ${text(400)}` }] });
    const rounds = int(0, 6);
    for (let r = 0; r < rounds; r++) {
      const calls: ToolCallBlock[] = [];
      for (let c = int(1, 3); c > 0; c--) {
        calls.push({
          type: "tool_call",
          id: `call_${callId++}`,
          name: TOOLS[int(0, 4)]!,
          arguments: `{"a":"${text(200)}"}`,
        });
      }
      const lead = random() < 0.5 ? [{ type: "text" as const, text: text(100) }] : [];
      messages.push({ role: "assistant", content: [...lead, ...calls] });
      const pending = current && r === rounds - 1 && random() < 0.5;
      const results: ToolResultBlock[] = calls.map((call) => ({
        type: "tool_result",
        toolCallId: call.id,
        toolName: call.name,
        content:
          random() < 0.3
            ? `[Tool result saved: /tmp/owlet-s/${call.id}.txt]\n\nPreview:\n${text(2000)}`
            : text(3000),
        isError: random() < 0.2,
      }));
      messages.push({ role: "user", content: results });
      if (pending) break;
      if (current && random() < 0.15 && r < rounds - 1) {
        // An engine note inside the current turn: assistant cut text, then a corrective user message.
        messages.push({ role: "assistant", content: [{ type: "text", text: text(50) }] });
        messages.push({ role: "user", content: [{ type: "text", text: "continue" }] });
      }
    }
    const last = messages.at(-1)!;
    if (!current || random() < 0.5) {
      if (last.role === "user")
        messages.push({ role: "assistant", content: [{ type: "text", text: text(300) }] });
    }
  }
  return { messages, turnStart, task: messages[turnStart]! };
}

/**
 * Structural problems of a history (empty when valid): roles must alternate starting with a user message, every
 * tool result must answer a call of the message right before it, and every call in a non-final assistant message
 * must be answered by the next message.
 */
export function structureProblems(messages: Message[]): string[] {
  const problems: string[] = [];
  messages.forEach((message, i) => {
    const expected = i % 2 === 0 ? "user" : "assistant";
    if (message.role !== expected) problems.push(`message ${i} is ${message.role}, expected ${expected}`);
    const prevCalls = new Set(
      (messages[i - 1]?.content ?? []).flatMap((b) => (b.type === "tool_call" ? [b.id] : [])),
    );
    for (const block of message.content) {
      if (block.type === "tool_result" && !prevCalls.has(block.toolCallId)) {
        problems.push(`message ${i}: result ${block.toolCallId} does not answer the previous message`);
      }
    }
    const next = messages[i + 1];
    if (next) {
      const answered = new Set(next.content.flatMap((b) => (b.type === "tool_result" ? [b.toolCallId] : [])));
      for (const block of message.content) {
        if (block.type === "tool_call" && !answered.has(block.id)) {
          problems.push(`message ${i}: call ${block.id} is not answered by the next message`);
        }
      }
    }
  });
  return problems;
}

/** mulberry32 (src/router/prng.ts): a small seeded PRNG returning floats in [0, 1). */
export { rng };
