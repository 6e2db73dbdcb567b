import { describe, expect, it } from "vitest";
import { mapArguments, unmappedCallName } from "./map.ts";

const fsRead = {
  type: "object",
  properties: {
    path: { type: "string" },
    offset: { type: "integer" },
    limit: { type: "integer" },
  },
  required: ["path"],
};
const fsEdit = {
  type: "object",
  properties: {
    path: { type: "string" },
    old_string: { type: "string" },
    new_string: { type: "string" },
    replace_all: { type: "boolean" },
  },
};

describe("mapArguments", () => {
  it("renames aliases and near-miss spellings to the schema's properties", () => {
    expect(mapArguments({ file_path: "a.ts", start_line: "10" }, fsRead).args).toEqual({
      path: "a.ts",
      offset: 10,
    });
    expect(mapArguments({ filePath: "a.ts" }, fsRead).args).toEqual({ path: "a.ts" });
    expect(mapArguments({ path: "a", old_str: "x", new_str: "y", replaceAll: "true" }, fsEdit).args).toEqual({
      path: "a",
      old_string: "x",
      new_string: "y",
      replace_all: true,
    });
  });

  it("keeps a given property and unknown keys, so the engine can report them", () => {
    const mapped = mapArguments({ path: "a", file: "b", colour: "red" }, fsRead);
    expect(mapped.args).toEqual({ path: "a", file: "b", colour: "red" });
    expect(mapped.changes).toEqual([]);
  });

  it("unwraps an arguments wrapper, also one holding JSON text", () => {
    expect(mapArguments({ arguments: { path: "a" } }, fsRead).args).toEqual({ path: "a" });
    expect(mapArguments({ input: '{"path": "b", "limit": 5}' }, fsRead).args).toEqual({
      path: "b",
      limit: 5,
    });
  });

  it("converts values only where the schema's type makes it exact", () => {
    const schema = {
      type: "object",
      properties: {
        n: { type: "integer" },
        x: { type: "number" },
        s: { type: "string" },
        list: { type: "array", items: { type: "string" } },
        obj: { type: "object" },
        maybe: { anyOf: [{ type: "integer" }, { type: "null" }] },
      },
    };
    expect(
      mapArguments({ n: "42", x: "1.5", s: 7, list: '["a", "b"]', obj: '{"k": 1}', maybe: "3" }, schema).args,
    ).toEqual({ n: 42, x: 1.5, s: "7", list: ["a", "b"], obj: { k: 1 }, maybe: 3 });
    expect(mapArguments({ n: "4.5", list: "one" }, schema).args).toEqual({ n: "4.5", list: ["one"] });
  });
});

describe("unmappedCallName", () => {
  const known = (n: string) => n === "bash";
  it("finds the name of an unmistakable call to a tool that is not offered", () => {
    expect(unmappedCallName('<tool_call>{"name": "nuke", "arguments": {}}</tool_call>', known)).toBe("nuke");
    expect(unmappedCallName("<function=deploy>\n</function>", known)).toBe("deploy");
    expect(unmappedCallName('[TOOL_CALLS]launch[ARGS]{"x": 1}', known)).toBe("launch");
  });

  it("ignores calls to known tools and prose without call syntax", () => {
    expect(
      unmappedCallName('<tool_call>{"name": "bash", "arguments": {}}</tool_call>', known),
    ).toBeUndefined();
    expect(unmappedCallName('Use {"name": "nuke"} as the config.', known)).toBeUndefined();
  });
});
