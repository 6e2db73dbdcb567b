import { describe, expect, it } from "vitest";
import type { ToolSchema } from "../../types.ts";
import { forcedRoundFields, parseForcedCall, serverForcedCallSchema } from "./constraint.ts";

const fsRead: ToolSchema = {
  name: "fs_read",
  description: "read",
  inputSchema: {
    type: "object",
    properties: { path: { type: "string" }, offset: { type: "integer" } },
    required: ["path"],
  },
};
const selectCategory: ToolSchema = {
  name: "select_category",
  description: "pick",
  inputSchema: {
    type: "object",
    properties: { category: { type: "string", enum: ["read", "write"] } },
    required: ["category"],
  },
};

describe("serverForcedCallSchema", () => {
  it("requires name and arguments (and every listed argument) and forbids extra keys", () => {
    const schema = serverForcedCallSchema([fsRead, selectCategory], 512) as any;
    expect(schema.oneOf).toHaveLength(2);
    const read = schema.oneOf[0];
    expect(read.required).toEqual(["name", "arguments"]);
    expect(read.additionalProperties).toBe(false);
    expect(read.properties.name).toEqual({ const: "fs_read" });
    expect(read.properties.arguments.required).toEqual(["path", "offset"]);
    // optional arguments stay nullable, as in the embedded arm's grammar
    expect(read.properties.arguments.properties.offset.oneOf).toContainEqual({ type: "null" });
    expect(schema.oneOf[1].properties.arguments.properties.category.enum).toEqual(["read", "write"]);
  });
});

describe("forcedRoundFields", () => {
  it("uses each server's documented field", () => {
    expect(Object.keys(forcedRoundFields({ kind: "llamacpp" }, [fsRead], 512)!)).toEqual([
      "json_schema",
      "tool_choice",
    ]);
    expect(forcedRoundFields({ kind: "llamacpp" }, [fsRead], 512)!.tool_choice).toBe("none");
    expect(Object.keys(forcedRoundFields({ kind: "vllm", version: "0.11.0" }, [fsRead], 512)!)).toContain(
      "structured_outputs",
    );
    expect(Object.keys(forcedRoundFields({ kind: "vllm", version: "0.8.5" }, [fsRead], 512)!)).toContain(
      "guided_json",
    );
    expect((forcedRoundFields({ kind: "lmstudio" }, [fsRead], 512)!.response_format as any).type).toBe(
      "json_schema",
    );
    expect(Object.keys(forcedRoundFields({ kind: "ollama" }, [fsRead], 512)!)).toEqual(["format"]);
    expect(forcedRoundFields({ kind: "unknown" }, [fsRead], 512)).toBeUndefined();
  });
});

describe("parseForcedCall", () => {
  it("reads a call of an offered tool and drops the nulls of optional arguments", () => {
    expect(
      parseForcedCall(' {"name": "fs_read", "arguments": {"path": "a.py", "offset": null}}\n', [fsRead]),
    ).toEqual({
      name: "fs_read",
      arguments: '{"path":"a.py"}',
    });
  });
  it("rejects cut-off JSON and unknown tools", () => {
    expect(parseForcedCall('{"name": "fs_read", "arguments": {"pa', [fsRead])).toBeUndefined();
    expect(parseForcedCall('{"name": "python3", "arguments": {}}', [fsRead])).toBeUndefined();
  });
});
