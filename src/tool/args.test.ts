import { describe, expect, it } from "vitest";
import { z } from "zod";
import { expectedSignature, parseToolArguments } from "./args.ts";
import type { Tool } from "./types.ts";

const readTool: Tool = {
  name: "fs_read",
  description: "read",
  parameters: z.object({
    path: z.string(),
    offset: z.number().int().min(1).optional(),
    mode: z.enum(["a", "b"]).optional(),
  }),
  category: "read",
  readOnly: true,
  destructive: false,
  run: async () => ({ output: "" }),
};

describe("parseToolArguments", () => {
  it("accepts valid JSON arguments", () => {
    expect(parseToolArguments(readTool, '{"path":"a.ts","offset":3}')).toEqual({
      ok: true,
      args: { path: "a.ts", offset: 3 },
    });
  });

  it("treats empty or whitespace input as {}", () => {
    const noParams: Tool = { ...readTool, parameters: z.object({ path: z.string().optional() }) };
    expect(parseToolArguments(noParams, "  \n")).toEqual({ ok: true, args: {} });
    const r = parseToolArguments(readTool, "");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('parameter "path" is required');
  });

  it("explains invalid JSON with the parse message and the expected parameters", () => {
    const r = parseToolArguments(readTool, '{"path": "a.ts",');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(/^Invalid JSON arguments for fs_read: .*JSON/);
    expect(r.error).toContain('Expected {"path": string, "offset"?: integer, "mode"?: "a"|"b"}');
  });

  it("reports per-field type errors and unknown parameters", () => {
    const r = parseToolArguments(readTool, '{"path": 5, "offset": "x", "file": "a"}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toContain('parameter "path": expected string, got number');
    expect(r.error).toContain('parameter "offset": expected number, got string');
    expect(r.error).toContain('parameter "file" is not accepted');
  });

  it("reports unknown parameters even when the rest is valid", () => {
    const r = parseToolArguments(readTool, '{"path": "a", "encoding": "utf8"}');
    expect(r).toEqual({ ok: false, error: expect.stringContaining('parameter "encoding" is not accepted') });
  });

  it("reports constraint failures with zod's message", () => {
    const r = parseToolArguments(readTool, '{"path": "a", "offset": 0}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/parameter "offset": .*>=1/);
  });

  it("rejects non-object JSON", () => {
    const r = parseToolArguments(readTool, '["a"]');
    expect(r).toEqual({ ok: false, error: expect.stringContaining("must be a JSON object, got array") });
  });

  it("uses the repair hook only when JSON.parse fails and the repair parses", () => {
    let calls = 0;
    const repair = (t: string) => {
      calls++;
      return t.replace(/,\s*}$/, "}");
    };
    expect(parseToolArguments(readTool, '{"path":"a",}', { repair })).toEqual({
      ok: true,
      args: { path: "a" },
    });
    expect(parseToolArguments(readTool, '{"path":"a"}', { repair })).toEqual({
      ok: true,
      args: { path: "a" },
    });
    expect(calls).toBe(1);
    const bad = parseToolArguments(readTool, "{oops", { repair: () => "{still bad" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/Invalid JSON arguments/);
  });

  it("allows extra keys for loose object schemas", () => {
    const loose: Tool = { ...readTool, parameters: z.looseObject({ path: z.string() }) };
    expect(parseToolArguments(loose, '{"path":"a","x":1}').ok).toBe(true);
  });

  it("describes nested array parameters in the signature", () => {
    const t: Tool = {
      ...readTool,
      parameters: z.object({ tags: z.array(z.string()), n: z.number().optional() }),
    };
    expect(expectedSignature(t)).toBe('{"tags": string[], "n"?: number}');
  });
});
