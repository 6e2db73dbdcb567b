import { describe, expect, it } from "vitest";
import { parseToolCalls } from "./parse.ts";
import { TextToolCallStream } from "./stream-parser.ts";

const tools = ["read_file", "bash"];

function feed(stream: TextToolCallStream, chunks: string[]) {
  const steps = chunks.map((c) => stream.push(c));
  const last = stream.end();
  return {
    steps,
    text: steps.map((s) => s.text).join("") + last.text,
    calls: [...steps.flatMap((s) => s.calls), ...last.calls],
  };
}

describe("TextToolCallStream", () => {
  it("passes plain text through promptly, holding only trailing whitespace", () => {
    const s = new TextToolCallStream(tools);
    expect(s.push("Hello ").text).toBe("Hello");
    expect(s.push("world.\n").text).toBe(" world.");
    expect(s.push("Bye").text).toBe("\nBye");
    expect(s.end()).toEqual({ text: "", calls: [] });
  });

  it("holds text after a call marker until the call resolves, then emits the call", () => {
    const s = new TextToolCallStream(tools);
    expect(s.push("Let me check.\n<tool_")).toEqual({ text: "Let me check.", calls: [] });
    expect(s.push('call>\n{"name": "bash", "arguments": {"comm')).toEqual({ text: "", calls: [] });
    const closed = s.push('and": "ls"}}\n</tool_call>\nDone');
    expect(closed.calls).toEqual([{ name: "bash", arguments: '{"command":"ls"}' }]);
    expect(closed.text).toBe("\n\nDone");
  });

  it("holds a { at the start of a line but not one inside a sentence", () => {
    const s = new TextToolCallStream(tools);
    expect(s.push("use {braces} here\n").text).toBe("use {braces} here");
    expect(s.push('{"name": "read_file"').text).toBe("");
    const r = s.push(', "arguments": {"path": "a"}}');
    expect(r.calls).toEqual([{ name: "read_file", arguments: '{"path":"a"}' }]);
  });

  it("releases held text that turns out not to be a call", () => {
    const s = new TextToolCallStream(tools);
    expect(s.push('{"name": "pkg"').text).toBe("");
    expect(s.push(', "version": "1"}\nok').text).toBe('{"name": "pkg", "version": "1"}\nok');
  });

  it("streams a non-call code fence without holding it to the end", () => {
    const s = new TextToolCallStream(tools);
    expect(s.push("```python\nx = 1\n").text).toBe("```python\nx = 1");
    expect(s.push('{"name": "bash", "arguments": {}}\n```\n').text).toBe(
      '\n{"name": "bash", "arguments": {}}\n```',
    );
  });

  it("closes an unterminated call at end()", () => {
    const s = new TextToolCallStream(tools);
    s.push('<tool_call>{"name": "read_file", "arguments": {"path": "a.t');
    expect(s.end().calls).toEqual([{ name: "read_file", arguments: '{"path":"a.t"}' }]);
  });

  it("agrees with parseToolCalls for every split of a mixed text", () => {
    const text =
      'Plan:\n[TOOL_CALLS][{"name": "bash", "arguments": {"command": "ls"}}]\nthen <|python_tag|>{"name": "read_file", "parameters": {"path": "x"}}\n```json\n{"name": "bash", "arguments": {"command": "pwd"}}\n```\nend `code` {x}';
    const whole = parseToolCalls(text, tools);
    expect(whole.calls).toHaveLength(3);
    for (let cut = 0; cut <= text.length; cut++) {
      const r = feed(new TextToolCallStream(tools), [text.slice(0, cut), text.slice(cut)]);
      expect({ cut, text: r.text, calls: r.calls }).toEqual({ cut, text: whole.text, calls: whole.calls });
    }
  });

  it("streams a 200 KB call in 4-character chunks without quadratic rescanning", () => {
    const line = `${"const x = { a: 1 };".repeat(4)}\\n`;
    const text = `Writing.\n<tool_call>\n{"name": "bash", "arguments": {"command": "${line.repeat(2600)}"}}\n</tool_call>\nDone.`;
    const whole = parseToolCalls(text, tools);
    expect(whole.calls).toHaveLength(1);
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 4) chunks.push(text.slice(i, i + 4));
    const started = performance.now();
    const r = feed(new TextToolCallStream(tools), chunks);
    // Rescanning the held call on every push would take tens of seconds here.
    expect(performance.now() - started).toBeLessThan(5000);
    expect({ text: r.text, calls: r.calls }).toEqual(whole);
  });

  it("recognises a call while it streams: text before it is shown at once, the call never", () => {
    const s = new TextToolCallStream(tools);
    expect(s.push("Checking the file.\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>read")).toEqual({
      text: "Checking the file.",
      calls: [],
    });
    expect(s.push('_file<｜tool▁sep｜>{"path": "a"}<｜tool▁call▁end｜>')).toEqual({ text: "", calls: [] });
    expect(s.push("<｜tool▁calls▁end｜>\nDone")).toEqual({
      text: "\n\nDone",
      calls: [{ name: "read_file", arguments: '{"path":"a"}' }],
    });
  });

  it("does not execute a partial call when the stream was cut", () => {
    const s = new TextToolCallStream(tools);
    expect(s.push('<minimax:tool_call><invoke name="bash"><parameter name="command">rm -r').text).toBe("");
    expect(s.end({ cut: true })).toEqual({
      text: '<minimax:tool_call><invoke name="bash"><parameter name="command">rm -r',
      calls: [],
    });
  });

  it("stays linear on 64 KiB of openers that never close", () => {
    const fill = (s: string) => s.repeat(Math.ceil(65536 / s.length)).slice(0, 65536);
    const inputs = [
      "<bash>",
      "\nbash(",
      "[TOOL]",
      "<tool_call>",
      "```",
      "{",
      "<function=bash>",
      "<|tool_call>",
    ];
    const started = performance.now();
    for (const text of inputs.map(fill)) {
      parseToolCalls(text, tools);
      const s = new TextToolCallStream(tools);
      for (let i = 0; i < text.length; i += 64) s.push(text.slice(i, i + 64));
      s.end();
    }
    // Quadratic rescanning would take tens of seconds here; linear work takes well under one.
    expect(performance.now() - started).toBeLessThan(8000);
  });

  it("rejects push after end()", () => {
    const s = new TextToolCallStream(tools);
    s.end();
    expect(() => s.push("x")).toThrow(/after end/);
  });
});
