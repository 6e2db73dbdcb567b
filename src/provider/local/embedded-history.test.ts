import { describe, expect, it } from "vitest";
import type { Message } from "../../message/types.ts";
import {
  compactSchemaText,
  forcedCallInstructions,
  MISSING_RESULT,
  toChatFunctions,
  toChatHistory,
} from "./embedded-history.ts";

const user = (text: string): Message => ({ role: "user", content: [{ type: "text", text }] });

describe("toChatHistory", () => {
  it("puts the system prompt first and maps user and assistant text", () => {
    expect(
      toChatHistory("sys", [user("hi"), { role: "assistant", content: [{ type: "text", text: "hello" }] }]),
    ).toEqual([
      { type: "system", text: "sys" },
      { type: "user", text: "hi" },
      { type: "model", response: ["hello"] },
    ]);
    expect(toChatHistory("  ", [user("hi")])).toEqual([{ type: "user", text: "hi" }]);
  });

  it("attaches tool results to their calls and continues the same model response after them", () => {
    const messages: Message[] = [
      user("read a"),
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "thinking" },
          { type: "text", text: "Reading." },
          { type: "tool_call", id: "c1", name: "fs_read", arguments: '{"path":"a"}' },
          { type: "tool_call", id: "c2", name: "fs_read", arguments: "{bad" },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            toolCallId: "c2",
            toolName: "fs_read",
            content: "no such file",
            isError: true,
          },
          { type: "tool_result", toolCallId: "c1", toolName: "fs_read", content: "A", isError: false },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "It says A." }] },
    ];
    expect(toChatHistory("", messages)).toEqual([
      { type: "user", text: "read a" },
      {
        type: "model",
        response: [
          "Reading.",
          { type: "functionCall", name: "fs_read", params: { path: "a" }, result: "A" },
          { type: "functionCall", name: "fs_read", params: "{bad", result: "Error: no such file" },
          "It says A.",
        ],
      },
    ]);
  });

  it("starts a new model response after a user message with text, and keeps orphan results as text", () => {
    const messages: Message[] = [
      user("q1"),
      { role: "assistant", content: [{ type: "tool_call", id: "c1", name: "bash", arguments: "" }] },
      {
        role: "user",
        content: [
          { type: "tool_result", toolCallId: "zz", toolName: "bash", content: "out", isError: false },
          { type: "text", text: "q2" },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "a2" }] },
    ];
    const items = toChatHistory("", messages);
    expect(items).toHaveLength(4);
    expect(items[1]).toEqual({
      type: "model",
      response: [{ type: "functionCall", name: "bash", params: {}, result: MISSING_RESULT }],
    });
    expect(items[2]).toEqual({ type: "user", text: "[result of bash] out\n\nq2" });
    expect(items[3]).toEqual({ type: "model", response: ["a2"] });
  });
});

describe("tool rendering", () => {
  const tool = {
    name: "fs_read",
    description: "Read a file.",
    inputSchema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: {
        path: { type: "string" },
        limit: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
      },
      required: ["path"],
      additionalProperties: false,
    },
  };

  it("documents functions with grammar-subset parameter schemas", () => {
    const fns = toChatFunctions([tool]);
    expect(fns.fs_read?.description).toBe("Read a file.");
    expect(fns.fs_read?.params).toEqual({
      type: "object",
      properties: { path: { type: "string" }, limit: { oneOf: [{ type: "integer" }, { type: "null" }] } },
    });
  });

  it("renders compact schemas and forced-call instructions without noise or placeholders", () => {
    expect(compactSchemaText(tool.inputSchema)).toBe(
      '{"type":"object","properties":{"path":{"type":"string"},"limit":{"type":"integer"}},"required":["path"]}',
    );
    const text = forcedCallInstructions([tool]);
    expect(text).toContain("- fs_read: Read a file. Parameters: {");
    expect(text).not.toContain("$schema");
    expect(text).not.toMatch(/<[^>]+>/);
  });
});
