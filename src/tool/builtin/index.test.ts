import { describe, expect, it } from "vitest";
import { parseToolArguments } from "../args.ts";
import { ToolRegistry } from "../registry.ts";
import { builtinTools, DEFAULT_TOOL_LIMITS } from "./index.ts";

describe("builtinTools", () => {
  it("has the expected tools, categories and flags", () => {
    const tools = builtinTools();
    expect(tools.map((t) => [t.name, t.category, t.readOnly, t.destructive])).toEqual([
      ["bash", "exec", false, true],
      ["fs_edit", "write", false, false],
      ["fs_glob", "search", true, false],
      ["fs_grep", "search", true, false],
      ["fs_ls", "read", true, false],
      ["fs_read", "read", true, false],
      ["fs_write", "write", false, false],
    ]);
  });

  it("loads short descriptions from the .md files and registers with minimal schemas", () => {
    const registry = new ToolRegistry();
    for (const t of builtinTools()) registry.register(t);
    for (const s of registry.schemas()) {
      expect(s.description.length, s.name).toBeGreaterThan(20);
      expect(s.description.length, s.name).toBeLessThan(200);
      expect(s.inputSchema.type).toBe("object");
      expect(JSON.stringify(s.inputSchema)).not.toMatch(/\$schema|additionalProperties|9007199254740991/);
    }
    const total = registry.schemas().reduce((n, s) => n + JSON.stringify(s).length, 0);
    expect(total).toBeLessThan(2900); // budget: ~700 tokens for all seven tools
  });

  it("validates arguments against each tool's parameters", () => {
    const read = builtinTools().find((t) => t.name === "fs_read")!;
    expect(parseToolArguments(read, '{"path":"a","offset":2}')).toEqual({
      ok: true,
      args: { path: "a", offset: 2 },
    });
    const r = parseToolArguments(read, '{"file_path":"a"}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('Expected {"path": string, "offset"?: integer, "limit"?: integer}');
  });

  it("has gnoma's default limits", () => {
    expect(DEFAULT_TOOL_LIMITS).toEqual({
      maxFileBytes: 1048576,
      bashTimeoutSec: 30,
      maxBashTimeoutSec: 600,
      maxOutputBytes: 65536,
    });
  });
});
