import { describe, expect, it } from "vitest";
import type { Message } from "../../message/types.ts";
import {
  bridgeToolResultsToUser,
  markToolErrorsAsText,
  parseToolArguments,
  TOOL_RESULTS_BRIDGE_TEXT,
  toV4Prompt,
  toV4ToolChoice,
  toV4Tools,
} from "./to-prompt.ts";

describe("parseToolArguments", () => {
  it.each([
    ['{"a":1,"b":[2]}', { a: 1, b: [2] }],
    ["{}", {}],
    ['{"a":', {}],
    ["not json", {}],
    ["[1,2]", {}],
    ['"text"', {}],
    ["null", {}],
  ])("%s → %j", (raw, expected) => {
    expect(parseToolArguments(raw)).toEqual(expected);
  });
});

describe("toV4Prompt", () => {
  it("puts the system prompt first and omits it when empty", () => {
    const msgs: Message[] = [{ role: "user", content: [{ type: "text", text: "hi" }] }];
    expect(toV4Prompt("sys", msgs)).toEqual([
      { role: "system", content: "sys" },
      { role: "user", content: [{ type: "text", text: "hi" }] },
    ]);
    expect(toV4Prompt("", msgs)[0]!.role).toBe("user");
  });

  it("converts a full tool round: assistant text + reasoning + tool calls, then tool results", () => {
    const msgs: Message[] = [
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "think", signature: "sig" },
          { type: "reasoning", text: "plain thought" },
          { type: "text", text: "Let me look." },
          { type: "tool_call", id: "c1", name: "read", arguments: '{"path":"a"}' },
          { type: "tool_call", id: "c2", name: "read", arguments: '{"path":' },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", toolCallId: "c1", toolName: "read", content: "data", isError: false },
          {
            type: "tool_result",
            toolCallId: "c2",
            toolName: "read",
            content: "invalid JSON arguments",
            isError: true,
          },
          { type: "text", text: "also, hurry" },
        ],
      },
    ];
    expect(toV4Prompt("", msgs)).toEqual([
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "think", providerOptions: { anthropic: { signature: "sig" } } },
          { type: "reasoning", text: "plain thought" },
          { type: "text", text: "Let me look." },
          { type: "tool-call", toolCallId: "c1", toolName: "read", input: { path: "a" } },
          { type: "tool-call", toolCallId: "c2", toolName: "read", input: {} },
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "c1",
            toolName: "read",
            output: { type: "text", value: "data" },
          },
          {
            type: "tool-result",
            toolCallId: "c2",
            toolName: "read",
            output: { type: "error-text", value: "invalid JSON arguments" },
          },
        ],
      },
      { role: "user", content: [{ type: "text", text: "also, hurry" }] },
    ]);
  });

  it("drops empty text blocks and messages left empty", () => {
    const msgs: Message[] = [
      { role: "user", content: [{ type: "text", text: "q" }] },
      { role: "assistant", content: [{ type: "text", text: "" }] },
      { role: "user", content: [{ type: "text", text: "" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "" },
          { type: "tool_call", id: "x", name: "t", arguments: "{}" },
        ],
      },
    ];
    expect(toV4Prompt("", msgs)).toEqual([
      { role: "user", content: [{ type: "text", text: "q" }] },
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "x", toolName: "t", input: {} }] },
    ]);
  });
});

describe("markToolErrorsAsText", () => {
  it("rewrites error-text tool results as text starting with Error:, leaving the rest alone", () => {
    const msgs: Message[] = [
      { role: "user", content: [{ type: "text", text: "q" }] },
      {
        role: "user",
        content: [
          { type: "tool_result", toolCallId: "a", toolName: "t", content: "fine", isError: false },
          { type: "tool_result", toolCallId: "b", toolName: "t", content: "boom", isError: true },
          { type: "tool_result", toolCallId: "c", toolName: "t", content: "error: x", isError: true },
        ],
      },
    ];
    const prompt = toV4Prompt("s", msgs);
    expect(markToolErrorsAsText(prompt)).toEqual([
      prompt[0],
      prompt[1],
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "a", toolName: "t", output: { type: "text", value: "fine" } },
          {
            type: "tool-result",
            toolCallId: "b",
            toolName: "t",
            output: { type: "text", value: "Error: boom" },
          },
          {
            type: "tool-result",
            toolCallId: "c",
            toolName: "t",
            output: { type: "text", value: "error: x" },
          },
        ],
      },
    ]);
    // The input prompt is not modified.
    expect(JSON.stringify(prompt)).toContain('"error-text"');
  });
});

describe("bridgeToolResultsToUser", () => {
  it("puts an assistant message between tool results and a following user message, only there", () => {
    const msgs: Message[] = [
      { role: "user", content: [{ type: "text", text: "q" }] },
      { role: "assistant", content: [{ type: "tool_call", id: "a", name: "t", arguments: "{}" }] },
      {
        role: "user",
        content: [
          { type: "tool_result", toolCallId: "a", toolName: "t", content: "r", isError: false },
          { type: "text", text: "more" },
        ],
      },
      { role: "assistant", content: [{ type: "tool_call", id: "b", name: "t", arguments: "{}" }] },
      {
        role: "user",
        content: [{ type: "tool_result", toolCallId: "b", toolName: "t", content: "r", isError: false }],
      },
      { role: "assistant", content: [{ type: "text", text: "done" }] },
    ];
    const roles = bridgeToolResultsToUser(toV4Prompt("s", msgs)).map((m) => m.role);
    expect(roles).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "user",
      "assistant",
      "tool",
      "assistant",
    ]);
    expect(bridgeToolResultsToUser(toV4Prompt("s", msgs))[4]).toEqual({
      role: "assistant",
      content: [{ type: "text", text: TOOL_RESULTS_BRIDGE_TEXT }],
    });
  });
});

describe("toV4Tools / toV4ToolChoice", () => {
  it("maps tool schemas to V4 function tools", () => {
    const schema = { type: "object", properties: { p: { type: "string" } } };
    expect(toV4Tools([{ name: "read", description: "Read", inputSchema: schema }])).toEqual([
      { type: "function", name: "read", description: "Read", inputSchema: schema },
    ]);
  });

  it("maps the tool choice, defaults to auto, and sends none without tools", () => {
    expect(toV4ToolChoice("required", 1)).toEqual({ type: "required" });
    expect(toV4ToolChoice("none", 2)).toEqual({ type: "none" });
    expect(toV4ToolChoice(undefined, 1)).toEqual({ type: "auto" });
    expect(toV4ToolChoice("required", 0)).toBeUndefined();
  });
});
