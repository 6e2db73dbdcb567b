import { describe, expect, it } from "vitest";
import { findValueEnd, normaliseJson, repairJson, stripFences } from "./repair.ts";

describe("repairJson", () => {
  it("returns valid JSON as is, with no repairs", () => {
    expect(repairJson('{"a": [1, 2], "b": "x"}')).toEqual({ value: { a: [1, 2], b: "x" }, repairs: [] });
    expect(repairJson("  [1,2]  ")).toEqual({ value: [1, 2], repairs: [] });
  });

  it("strips code fences", () => {
    const r = repairJson('```json\n{"path": "a.ts"}\n```');
    expect(r?.value).toEqual({ path: "a.ts" });
    expect(r?.repairs).toContain("strip_fences");
  });

  it("extracts the first balanced object from prose, string and escape aware", () => {
    const r = repairJson('Sure! {"cmd": "echo \\"}\\" {x}", "n": 1} and {"other": 2}');
    expect(r?.value).toEqual({ cmd: 'echo "}" {x}', n: 1 });
    expect(r?.repairs).toEqual(["extract_object"]);
  });

  it("removes trailing commas in objects and arrays", () => {
    const r = repairJson('{"a": [1, 2,], "b": {"c": 3,},}');
    expect(r?.value).toEqual({ a: [1, 2], b: { c: 3 } });
    expect(r?.repairs).toEqual(["trailing_commas"]);
  });

  it("converts single-quoted strings and keys, keeping inner double quotes", () => {
    const r = repairJson(`{'msg': 'say "hi"', 'it\\'s': 'ok'}`);
    expect(r?.value).toEqual({ msg: 'say "hi"', "it's": "ok" });
    expect(r?.repairs).toEqual(["single_quotes"]);
  });

  it("quotes unquoted keys and maps Python literals", () => {
    const r = repairJson("{path: 'a', recursive: True, limit: None, dry_run: False}");
    expect(r?.value).toEqual({ path: "a", recursive: true, limit: null, dry_run: false });
    expect(r?.repairs).toEqual(expect.arrayContaining(["unquoted_keys", "python_literals", "single_quotes"]));
  });

  it("does not touch Python-literal words inside strings", () => {
    expect(repairJson("{'text': 'True or None', n: 1}")?.value).toEqual({ text: "True or None", n: 1 });
  });

  it("escapes raw newlines and tabs inside strings", () => {
    const r = repairJson('{"content": "line1\nline2\tend"}');
    expect(r?.value).toEqual({ content: "line1\nline2\tend" });
    expect(r?.repairs).toEqual(["escape_control_chars"]);
  });

  it("closes an unterminated string and unbalanced brackets at end of input", () => {
    const r = repairJson('{"path": "notes.md", "lines": ["a", "b');
    expect(r?.value).toEqual({ path: "notes.md", lines: ["a", "b"] });
    expect(r?.repairs).toEqual(expect.arrayContaining(["close_string", "close_brackets"]));
  });

  it("drops a key cut off before its value", () => {
    expect(repairJson('{"a": 1, "b":')?.value).toEqual({ a: 1 });
    expect(repairJson('{"a": 1, "b')?.value).toEqual({ a: 1 });
  });

  it("unwraps a doubled outer brace pair", () => {
    const r = repairJson('{{"name": "ip_query", "arguments": {"input": "1.2.3.4"}}}');
    expect(r?.value).toEqual({ name: "ip_query", arguments: { input: "1.2.3.4" } });
    expect(r?.repairs).toEqual(["unwrap_double_braces"]);
  });

  it("combines fences, extraction and lexical repairs", () => {
    const r = repairJson("Here:\n```json\n{'a': 1, b: [True,],}\n```\nthanks");
    expect(r?.value).toEqual({ a: 1, b: [true] });
    expect(r?.repairs).toEqual(expect.arrayContaining(["strip_fences", "single_quotes", "trailing_commas"]));
  });

  it("keeps unknown escapes such as Windows paths literally", () => {
    expect(repairJson(`{'p': 'C:\\Users\\me'}`)?.value).toEqual({ p: "C:\\Users\\me" });
  });

  it("returns undefined for text that is not JSON-ish", () => {
    expect(repairJson("hello world")).toBeUndefined();
    expect(repairJson("")).toBeUndefined();
    expect(repairJson("{a b c}")).toBeUndefined();
  });
});

describe("helpers", () => {
  it("stripFences returns the first fence body, or undefined without a fence", () => {
    expect(stripFences("x\n```ts\nlet a\n```\ny")).toBe("let a");
    expect(stripFences("```\n{}")).toBe("{}");
    expect(stripFences("no fence")).toBeUndefined();
  });

  it("findValueEnd skips brackets inside strings and reports unclosed values", () => {
    const text = '{"a": "}]", "b": [1, {"c": 2}]} tail';
    expect(findValueEnd(text, 0)).toBe(text.indexOf(" tail"));
    expect(findValueEnd('{"a": [1, 2', 0)).toBeUndefined();
  });

  it("normaliseJson reports no repairs for valid JSON", () => {
    expect(normaliseJson('{"a": [1, "x"]}')).toEqual({ text: '{"a": [1, "x"]}', repairs: [] });
  });
});
