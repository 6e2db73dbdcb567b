import { describe, expect, it } from "vitest";
import type { ToolSchema } from "../../types.ts";
import { DEFAULT_ROUND_CAPS, roundCap, roundKind, takesFreeText } from "./rounds.ts";

const selectCategory: ToolSchema = {
  name: "select_category",
  description: "pick",
  inputSchema: {
    type: "object",
    properties: { category: { type: "string", enum: ["read", "write", "search", "exec", "meta"] } },
    required: ["category"],
  },
};
const fsRead: ToolSchema = {
  name: "fs_read",
  description: "read",
  inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
};
const fsWrite: ToolSchema = {
  name: "fs_write",
  description: "write",
  inputSchema: {
    type: "object",
    properties: { path: { type: "string" }, content: { type: "string" } },
    required: ["path", "content"],
  },
};

describe("roundKind", () => {
  it("a forced call whose tools take only enums is a select round", () => {
    expect(roundKind({ tools: [selectCategory], toolChoice: "required" })).toBe("select");
  });
  it("a forced call with free-text arguments is a call round", () => {
    expect(roundKind({ tools: [fsRead, selectCategory], toolChoice: "required" })).toBe("call");
  });
  it("any round offering a file-writing tool is a write round", () => {
    expect(roundKind({ tools: [fsWrite, selectCategory], toolChoice: "required" })).toBe("write");
    expect(roundKind({ tools: [fsRead, fsWrite], toolChoice: "auto" })).toBe("write");
  });
  it("other rounds are answer rounds (tool choice none hides the tools)", () => {
    expect(roundKind({ tools: [fsRead], toolChoice: "auto" })).toBe("answer");
    expect(roundKind({ tools: [fsWrite], toolChoice: "none" })).toBe("answer");
    expect(roundKind({ tools: [], toolChoice: undefined })).toBe("answer");
  });
});

describe("roundCap", () => {
  const base = { model: "m", system: "", messages: [] };
  it("is the round kind's cap", () => {
    expect(roundCap({ ...base, tools: [selectCategory], toolChoice: "required" })).toBe(
      DEFAULT_ROUND_CAPS.select,
    );
    expect(roundCap({ ...base, tools: [fsWrite], toolChoice: "auto" })).toBe(DEFAULT_ROUND_CAPS.write);
  });
  it("keeps a smaller cap the request asked for, and honours configured caps", () => {
    expect(roundCap({ ...base, tools: [fsWrite], maxOutputTokens: 100 })).toBe(100);
    expect(
      roundCap(
        { ...base, tools: [fsRead], maxOutputTokens: 100_000 },
        { ...DEFAULT_ROUND_CAPS, answer: 300 },
      ),
    ).toBe(300);
  });
});

describe("takesFreeText", () => {
  it("strings without enum, free-form objects and refs are free text; enums, numbers and booleans are not", () => {
    expect(takesFreeText({ type: "string" })).toBe(true);
    expect(takesFreeText({ type: "object" })).toBe(true);
    expect(takesFreeText({ type: "string", enum: ["a"] })).toBe(false);
    expect(
      takesFreeText({ type: "object", properties: { n: { type: "integer" }, b: { type: "boolean" } } }),
    ).toBe(false);
  });
});
