import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolRegistry } from "./registry.ts";
import type { Tool, ToolCategory } from "./types.ts";

function tool(name: string, category: ToolCategory, readOnly = true): Tool {
  return {
    name,
    description: `${name} tool`,
    parameters: z.object({ a: z.string() }),
    category,
    readOnly,
    destructive: false,
    run: async () => ({ output: name }),
  };
}

describe("ToolRegistry", () => {
  it("registers, looks up, sorts by name and replaces on re-register", async () => {
    const r = new ToolRegistry();
    r.register(tool("zeta", "read"));
    r.register(tool("alpha", "write"));
    r.register(tool("mid", "read"));
    expect(r.all().map((t) => t.name)).toEqual(["alpha", "mid", "zeta"]);
    expect(r.get("mid")?.category).toBe("read");
    expect(r.get("nope")).toBeUndefined();
    r.register(tool("mid", "search"));
    expect(r.all()).toHaveLength(3);
    expect(r.get("mid")?.category).toBe("search");
  });

  it("filters by category and builds schemas", () => {
    const r = new ToolRegistry();
    r.register(tool("b", "read"));
    r.register(tool("a", "read", false));
    r.register(tool("c", "exec"));
    expect(r.byCategory("read").map((t) => t.name)).toEqual(["a", "b"]);
    expect(r.byCategory("meta")).toEqual([]);
    expect(r.schemas().map((s) => s.name)).toEqual(["a", "b", "c"]);
    const ro = r.schemas((t) => t.readOnly);
    expect(ro.map((s) => s.name)).toEqual(["b", "c"]);
    expect(ro[0]).toEqual({
      name: "b",
      description: "b tool",
      inputSchema: { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
    });
  });

  it("rejects invalid wire names", () => {
    expect(() => new ToolRegistry().register(tool("fs.read", "read"))).toThrow(/Invalid tool name "fs.read"/);
  });
});
