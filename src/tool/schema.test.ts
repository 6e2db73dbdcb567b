import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toolSchema } from "./schema.ts";
import type { Tool } from "./types.ts";

function tool(parameters: z.ZodType): Tool {
  return {
    name: "t",
    description: "d",
    parameters,
    category: "read",
    readOnly: true,
    destructive: false,
    run: async () => ({ output: "" }),
  };
}

describe("toolSchema", () => {
  it("emits a minimal object schema without $schema or int bounds", () => {
    const s = toolSchema(
      tool(z.object({ path: z.string().describe("file path"), offset: z.number().int().min(1).optional() })),
    );
    expect(s).toEqual({
      name: "t",
      description: "d",
      inputSchema: {
        type: "object",
        properties: {
          path: { type: "string", description: "file path" },
          offset: { type: "integer", minimum: 1 },
        },
        required: ["path"],
      },
    });
  });

  it("drops additionalProperties and empty required, keeps enums and nested items", () => {
    const s = toolSchema(
      tool(
        z.strictObject({
          kind: z.enum(["a", "b"]).optional(),
          xs: z.array(z.strictObject({ n: z.number() })).optional(),
        }),
      ),
    );
    expect(JSON.stringify(s.inputSchema)).not.toMatch(/\$schema|additionalProperties|9007199254740991/);
    expect(s.inputSchema).toEqual({
      type: "object",
      properties: {
        kind: { type: "string", enum: ["a", "b"] },
        xs: {
          type: "array",
          items: { type: "object", properties: { n: { type: "number" } }, required: ["n"] },
        },
      },
    });
  });

  it("treats defaulted parameters as optional (input side)", () => {
    const s = toolSchema(tool(z.object({ n: z.number().default(3) })));
    expect(s.inputSchema.required).toBeUndefined();
  });

  it("keeps a property literally named like a noise keyword", () => {
    const s = toolSchema(tool(z.object({ additionalProperties: z.string() })));
    expect(s.inputSchema.properties).toEqual({ additionalProperties: { type: "string" } });
  });
});
