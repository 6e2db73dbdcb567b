import { describe, expect, it } from "vitest";
import { parseToolCalls } from "./parse.ts";

const tools = ["read_file", "write_file", "bash"];

function parsed(text: string, known = tools) {
  const result = parseToolCalls(text, known);
  return {
    text: result.text,
    calls: result.calls.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) })),
  };
}

describe("parseToolCalls: bare JSON", () => {
  it("parses a call object with arguments, parameters, args or input", () => {
    for (const key of ["arguments", "parameters", "args", "input"]) {
      expect(parsed(`{"name": "read_file", "${key}": {"path": "a"}}`)).toEqual({
        text: "",
        calls: [{ name: "read_file", args: { path: "a" } }],
      });
    }
  });

  it("parses the tool and function variants and string arguments", () => {
    expect(parsed('{"tool": "bash", "arguments": {"command": "ls"}}').calls).toEqual([
      { name: "bash", args: { command: "ls" } },
    ]);
    expect(parsed('{"function": {"name": "bash", "arguments": "{\\"command\\": \\"ls\\"}"}}').calls).toEqual([
      { name: "bash", args: { command: "ls" } },
    ]);
  });

  it("parses arrays of calls and keeps surrounding prose", () => {
    const r = parsed(
      'I will read both.\n[{"name": "read_file", "arguments": {"path": "a"}}, {"name": "read_file", "arguments": {"path": "b"}}]\nDone.',
    );
    expect(r.calls.map((c) => c.args.path)).toEqual(["a", "b"]);
    expect(r.text).toBe("I will read both.\n\nDone.");
  });

  it("leaves JSON that is not a call, or names an unknown tool, as text", () => {
    expect(parsed('{"name": "my-app", "version": "1.0.0"}')).toEqual({
      text: '{"name": "my-app", "version": "1.0.0"}',
      calls: [],
    });
    expect(parsed('{"name": "rm_rf", "arguments": {}}').calls).toEqual([]);
    expect(parsed('Config: {"name": "read_file", "arguments": {}}').calls).toEqual([]);
  });

  it("only accepts bare JSON at the start of a line", () => {
    expect(parsed('Call {"name": "bash", "arguments": {"command": "ls"}} now').calls).toEqual([]);
    expect(parsed('Call:\n  {"name": "bash", "arguments": {"command": "ls"}}').calls).toHaveLength(1);
  });

  it("repairs malformed and truncated arguments", () => {
    expect(parsed("{'name': 'bash', 'arguments': {'command': 'ls',},}").calls).toEqual([
      { name: "bash", args: { command: "ls" } },
    ]);
    expect(parsed('{"name": "write_file", "arguments": {"path": "a", "content": "abc').calls).toEqual([
      { name: "write_file", args: { path: "a", content: "abc" } },
    ]);
  });

  it("resolves names loosely", () => {
    expect(parsed('{"name": "functions.Read-File", "arguments": {"path": "a"}}').calls[0]?.name).toBe(
      "read_file",
    );
  });
});

describe("parseToolCalls: tagged formats", () => {
  it("parses Hermes <tool_call> blocks, closed or not", () => {
    const r = parsed(
      'Reading.\n<tool_call>\n{"name": "read_file", "arguments": {"path": "a"}}\n</tool_call>\n<tool_call>\n{"name": "bash", "arguments": {"command": "ls"}}',
    );
    expect(r.calls).toEqual([
      { name: "read_file", args: { path: "a" } },
      { name: "bash", args: { command: "ls" } },
    ]);
    expect(r.text).toBe("Reading.");
  });

  it("parses Qwen3-Coder XML parameters inside <tool_call>", () => {
    const r = parsed(
      "<tool_call>\n<function=write_file>\n<parameter=path>\na.txt\n</parameter>\n<parameter=content>\nline 1\nline 2\n</parameter>\n</function>\n</tool_call>",
    );
    expect(r.calls).toEqual([{ name: "write_file", args: { path: "a.txt", content: "line 1\nline 2" } }]);
    expect(r.text).toBe("");
  });

  it("parses Mistral [TOOL_CALLS] arrays and name[ARGS]{…} / name{…} forms", () => {
    expect(parsed('[TOOL_CALLS] [{"name": "bash", "arguments": {"command": "ls"}}]</s>').calls).toHaveLength(
      1,
    );
    expect(parsed('[TOOL_CALLS]bash[ARGS]{"command": "ls"}').calls).toEqual([
      { name: "bash", args: { command: "ls" } },
    ]);
    expect(parsed('[TOOL_CALLS]bash[CALL_ID]a1b2c3d4e[ARGS]{"command": "ls"}').calls).toHaveLength(1);
    expect(parsed('[TOOL_CALLS]bash{"command": "ls"}').calls).toHaveLength(1);
  });

  it("parses Llama <|python_tag|> (several, separated by ;) and <function=name>{…}</function>", () => {
    const r = parsed(
      '<|python_tag|>{"name": "bash", "parameters": {"command": "ls"}}; {"name": "read_file", "parameters": {"path": "a"}}<|eom_id|>',
    );
    expect(r.calls.map((c) => c.name)).toEqual(["bash", "read_file"]);
    expect(r.text).toBe("");
    expect(parsed('<function=read_file>{"path": "a"}</function>').calls).toEqual([
      { name: "read_file", args: { path: "a" } },
    ]);
  });

  it("parses fenced json and tool_call blocks but leaves other code fences alone", () => {
    expect(parsed('```json\n{"name": "bash", "arguments": {"command": "ls"}}\n```').calls).toHaveLength(1);
    expect(parsed('```tool_call\n{"name": "bash", "arguments": {"command": "ls"}}\n```').calls).toHaveLength(
      1,
    );
    const code = '```python\n{"name": "bash", "arguments": {"command": "ls"}}\n```';
    expect(parsed(code)).toEqual({ text: code, calls: [] });
  });

  it("parses Gemma tool_code and Gemma 4 / LFM2 call syntaxes", () => {
    expect(parsed('```tool_code\nprint(default_api.read_file(path="a.txt"))\n```').calls).toEqual([
      { name: "read_file", args: { path: "a.txt" } },
    ]);
    expect(parsed('<|tool_call>call:bash{command:<|"|>ls -la<|"|>}<tool_call|>').calls).toEqual([
      { name: "bash", args: { command: "ls -la" } },
    ]);
    expect(
      parsed("<|tool_call_start|>[read_file(path='a'), bash(command='ls')]<|tool_call_end|>").calls,
    ).toHaveLength(2);
  });

  it("parses Phi-4-mini functools[…] at the start of a line only", () => {
    expect(parsed('functools[{"name": "bash", "arguments": {"command": "ls"}}]')).toEqual({
      text: "",
      calls: [{ name: "bash", args: { command: "ls" } }],
    });
    expect(parsed('see functools[{"name": "bash", "arguments": {}}]').calls).toEqual([]);
  });

  it("removes the orphan </tool_call> after a naked <function=…> call", () => {
    const r = parsed(
      "Checking.\n<function=bash>\n<parameter=command>\nls\n</parameter>\n</function>\n</tool_call>\nok",
    );
    expect(r).toEqual({ text: "Checking.\n\nok", calls: [{ name: "bash", args: { command: "ls" } }] });
  });

  it("keeps tagged calls to unknown tools visible", () => {
    const text = '<tool_call>{"name": "nuke", "arguments": {}}</tool_call>';
    expect(parsed(text)).toEqual({ text, calls: [] });
  });

  it("collapses the blank lines left by removed calls and trims", () => {
    const r = parsed(
      'First.\n\n<tool_call>{"name": "bash", "arguments": {"command": "ls"}}</tool_call>\n\n\nSecond.\n',
    );
    expect(r.text).toBe("First.\n\nSecond.");
  });
});
