import { describe, expect, it } from "vitest";
import type { Message } from "../message/types.ts";
import {
  compactPreviousToolResults,
  compactPreviousToolResultsCounted,
  priorResultMarker,
} from "./compact-results.ts";

const big = "x".repeat(500);
const history = (): Message[] => [
  { role: "user", content: [{ type: "text", text: "task" }] },
  { role: "assistant", content: [{ type: "tool_call", id: "a", name: "fs_read", arguments: "{}" }] },
  {
    role: "user",
    content: [{ type: "tool_result", toolCallId: "a", toolName: "fs_read", content: big, isError: false }],
  },
  { role: "assistant", content: [{ type: "tool_call", id: "b", name: "bash", arguments: "{}" }] },
  {
    role: "user",
    content: [
      {
        type: "tool_result",
        toolCallId: "b",
        toolName: "bash",
        content: `[Tool result saved: /tmp/r/b.txt]\n\n${big}`,
        isError: true,
      },
    ],
  },
  { role: "assistant", content: [{ type: "tool_call", id: "c", name: "fs_grep", arguments: "{}" }] },
  {
    role: "user",
    content: [{ type: "tool_result", toolCallId: "c", toolName: "fs_grep", content: big, isError: false }],
  },
];

describe("compactPreviousToolResults", () => {
  it("replaces results before the last assistant message and keeps unanswered ones", () => {
    const input = history();
    const { messages, compacted } = compactPreviousToolResultsCounted(input);
    expect(compacted).toBe(2);
    expect(messages[2]!.content[0]).toEqual({
      type: "tool_result",
      toolCallId: "a",
      toolName: "fs_read",
      content: "[prior result of fs_read: 500 chars]",
      isError: false,
    });
    expect(messages[6]).toBe(input[6]);
    expect(messages[0]).toBe(input[0]);
  });

  it("carries the stored path: from pathFor, else from the saved-result header, and keeps isError", () => {
    const out = compactPreviousToolResults(history(), {
      pathFor: (id) => (id === "a" ? "/tmp/r/a.txt" : undefined),
    });
    const a = out[2]!.content[0]!;
    const b = out[4]!.content[0]!;
    expect(a.type === "tool_result" && a.content).toBe(
      "[prior result of fs_read: 500 chars, saved at /tmp/r/a.txt]",
    );
    expect(b.type === "tool_result" && b.content).toBe(
      `[prior result of bash: ${33 + 2 + 500} chars, saved at /tmp/r/b.txt]`,
    );
    expect(b.type === "tool_result" && b.isError).toBe(true);
    expect(b.type === "tool_result" && b.toolCallId).toBe("b");
  });

  it("is pure and idempotent, and keeps results shorter than their marker", () => {
    const input = history();
    const snapshot = JSON.stringify(input);
    const once = compactPreviousToolResults(input);
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(compactPreviousToolResultsCounted(once).compacted).toBe(0);
    const short: Message[] = [
      { role: "assistant", content: [{ type: "tool_call", id: "s", name: "bash", arguments: "{}" }] },
      {
        role: "user",
        content: [{ type: "tool_result", toolCallId: "s", toolName: "bash", content: "ok", isError: false }],
      },
      { role: "assistant", content: [{ type: "text", text: "done" }] },
    ];
    expect(compactPreviousToolResultsCounted(short).compacted).toBe(0);
  });

  it("formats the marker", () => {
    expect(priorResultMarker("fs_read", 12)).toBe("[prior result of fs_read: 12 chars]");
    expect(priorResultMarker("fs_read", 12, "/p")).toBe("[prior result of fs_read: 12 chars, saved at /p]");
  });
});
