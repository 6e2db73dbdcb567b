import { describe, expect, it } from "vitest";
import type { ToolSchema } from "../types.ts";
import { parseToolCalls } from "./parse.ts";
import { renderToolsForPrompt } from "./render.ts";

const tools: ToolSchema[] = [
  {
    name: "read_file",
    description: "Read a text file. Returns numbered lines.",
    inputSchema: {
      type: "object",
      properties: {
        path: { type: "string" },
        offset: { type: "integer" },
        mode: { enum: ["raw", "numbered"] },
      },
      required: ["path"],
    },
  },
  {
    name: "grep",
    description: "Search files with a regular expression.",
    inputSchema: { type: "object", properties: { patterns: { type: "array", items: { type: "string" } } } },
  },
];

describe("renderToolsForPrompt", () => {
  it("lists each tool with a compact signature and the first sentence of its description", () => {
    const text = renderToolsForPrompt(tools);
    expect(text).toContain(
      '- read_file(path: string, offset?: integer, mode?: "raw"|"numbered") - Read a text file.',
    );
    expect(text).toContain("- grep(patterns?: string[]) - Search files with a regular expression.");
    expect(text).not.toContain("Returns numbered lines");
  });

  it("shows the Hermes format, and its example parses back with the parser", () => {
    const text = renderToolsForPrompt(tools);
    const example = text.split("\n").find((line) => line.startsWith("<tool_call>"));
    expect(example).toBeDefined();
    const parsed = parseToolCalls((example as string).replace("TOOL_NAME", "read_file"), ["read_file"]);
    expect(parsed.calls).toEqual([{ name: "read_file", arguments: '{"param":"value"}' }]);
  });

  it("stays short: instructions under 600 characters plus one line per tool", () => {
    const text = renderToolsForPrompt(tools);
    expect(text.split("\n")).toHaveLength(2 + 5);
    expect(text.length).toBeLessThan(600 + 200 * tools.length);
    expect(renderToolsForPrompt([])).toBe("");
  });

  it("cuts long descriptions", () => {
    const long: ToolSchema = { name: "x", description: "a".repeat(400), inputSchema: { type: "object" } };
    const line = renderToolsForPrompt([long]).split("\n")[1] as string;
    expect(line.length).toBeLessThan(180);
    expect(line.endsWith("...")).toBe(true);
  });
});
