import { describe, expect, it } from "vitest";
import { forcedCallSchema, stripOptionalNulls, toGrammarSchema } from "./embedded-schema.ts";

const fsRead = {
  type: "object",
  properties: {
    path: { type: "string", pattern: "^[^/]" },
    offset: { type: "integer", minimum: 1 },
    limit: { type: "integer" },
  },
  required: ["path"],
};

describe("toGrammarSchema", () => {
  it("keeps required properties, makes optional ones nullable and drops keywords a grammar cannot enforce", () => {
    expect(toGrammarSchema(fsRead)).toEqual({
      type: "object",
      properties: {
        path: { type: "string" },
        offset: { oneOf: [{ type: "integer" }, { type: "null" }] },
        limit: { oneOf: [{ type: "integer" }, { type: "null" }] },
      },
    });
  });

  it("maps anyOf to oneOf, inlines $defs references and caps recursion at 'any value'", () => {
    const schema = {
      type: "object",
      properties: { node: { $ref: "#/$defs/Node" } },
      required: ["node"],
      $defs: { Node: { anyOf: [{ type: "string" }, { $ref: "#/$defs/Node" }] } },
    };
    const out = toGrammarSchema(schema) as { properties: { node: { oneOf: unknown[] } } };
    expect(out.properties.node.oneOf[0]).toEqual({ type: "string" });
    expect(JSON.stringify(out)).not.toContain("$ref");
  });

  it("turns an object without properties into a free-form map, and one with them into a closed object", () => {
    expect(toGrammarSchema({ type: "object" })).toEqual({ type: "object", additionalProperties: true });
    expect(toGrammarSchema({ type: "object", properties: {}, additionalProperties: false })).toEqual({
      type: "object",
      properties: {},
    });
  });

  it("splits a nullable string type array into branches so string limits apply", () => {
    const out = toGrammarSchema({ type: ["string", "null"] }, { maxStringChars: 10 });
    expect(out).toEqual({ oneOf: [{ type: "string", maxLength: 10 }, { type: "null" }] });
    expect(toGrammarSchema({ type: ["integer", "null"] })).toEqual({ type: ["integer", "null"] });
  });

  it("keeps enums and consts of primitive values", () => {
    expect(toGrammarSchema({ type: "string", enum: ["a", "b"] })).toEqual({ enum: ["a", "b"] });
    expect(toGrammarSchema({ const: 3 })).toEqual({ const: 3 });
  });
});

describe("forcedCallSchema", () => {
  const tools = [
    { name: "fs_read", description: "Read", inputSchema: fsRead },
    {
      name: "fs_grep",
      description: "Grep",
      inputSchema: { type: "object", properties: { pattern: { type: "string" } }, required: ["pattern"] },
    },
  ];

  it("is a oneOf whose branches fix the name and carry that tool's parameters", () => {
    const schema = forcedCallSchema(tools) as {
      oneOf: { properties: { name: unknown; arguments: unknown } }[];
    };
    expect(schema.oneOf).toHaveLength(2);
    expect(schema.oneOf.map((b) => b.properties.name)).toEqual([{ const: "fs_read" }, { const: "fs_grep" }]);
    expect(schema.oneOf[1]?.properties.arguments).toEqual({
      type: "object",
      properties: { pattern: { type: "string" } },
    });
  });

  it("uses a single branch for one tool, and refuses no tools", () => {
    const one = forcedCallSchema([tools[1]!]) as { properties: { name: unknown } };
    expect(one.properties.name).toEqual({ const: "fs_grep" });
    expect(() => forcedCallSchema([])).toThrow(/at least one tool/);
  });

  it("shares the output budget among the free strings of the widest tool", () => {
    const schema = forcedCallSchema(tools, 248) as {
      oneOf: { properties: { arguments: { properties: { path?: { maxLength?: number } } } } }[];
    };
    // 248 − 48 overhead = 200 tokens; fs_read has one string (path) → 200 characters.
    expect(schema.oneOf[0]?.properties.arguments.properties.path).toEqual({ type: "string", maxLength: 200 });
    const tiny = forcedCallSchema(tools, 50) as typeof schema;
    expect(tiny.oneOf[0]?.properties.arguments.properties.path?.maxLength).toBe(32);
  });
});

describe("stripOptionalNulls", () => {
  it("drops nulls of optional properties, keeps required ones and nullable ones", () => {
    const schema = {
      type: "object",
      properties: {
        path: { type: "string" },
        limit: { type: "integer" },
        note: { type: ["string", "null"] },
        inner: { type: "object", properties: { x: { type: "number" } } },
      },
      required: ["path"],
    };
    expect(stripOptionalNulls({ path: null, limit: null, note: null, inner: { x: null } }, schema)).toEqual({
      path: null,
      note: null,
      inner: {},
    });
  });

  it("walks array items", () => {
    const schema = { type: "array", items: { type: "object", properties: { a: { type: "string" } } } };
    expect(stripOptionalNulls([{ a: null }, { a: "x" }], schema)).toEqual([{}, { a: "x" }]);
  });
});
