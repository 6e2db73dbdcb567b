import { describe, expect, it } from "vitest";
import { resolveToolName } from "./names.ts";

const known = ["read_file", "write_file", "fs_read", "math.factorial", "Bash"];

describe("resolveToolName", () => {
  it("matches exactly first", () => {
    expect(resolveToolName("read_file", known)).toBe("read_file");
    expect(resolveToolName("math.factorial", known)).toBe("math.factorial");
  });

  it("matches case-insensitively", () => {
    expect(resolveToolName("READ_FILE", known)).toBe("read_file");
    expect(resolveToolName("bash", known)).toBe("Bash");
  });

  it("strips functions./function./tools. prefixes", () => {
    expect(resolveToolName("functions.read_file", known)).toBe("read_file");
    expect(resolveToolName("function.Bash", known)).toBe("Bash");
    expect(resolveToolName("tools.write_file", known)).toBe("write_file");
    expect(resolveToolName("Functions.math.factorial", known)).toBe("math.factorial");
  });

  it("treats dots, underscores, hyphens and spaces as the same separator", () => {
    expect(resolveToolName("fs.read", known)).toBe("fs_read");
    expect(resolveToolName("fs-read", known)).toBe("fs_read");
    expect(resolveToolName("math_factorial", known)).toBe("math.factorial");
    expect(resolveToolName("Read File", known)).toBe("read_file");
  });

  it("trims whitespace and quotes", () => {
    expect(resolveToolName(' "read_file" ', known)).toBe("read_file");
  });

  it("returns undefined for unknown names", () => {
    expect(resolveToolName("delete_file", known)).toBeUndefined();
    expect(resolveToolName("", known)).toBeUndefined();
    expect(resolveToolName("functions.", known)).toBeUndefined();
  });

  it("returns undefined when a loose match is ambiguous", () => {
    const twins = ["fs.read", "fs_read", "Grep", "grep"];
    expect(resolveToolName("fs-read", twins)).toBeUndefined();
    expect(resolveToolName("GREP", twins)).toBeUndefined();
    // Exact matches still win over ambiguity.
    expect(resolveToolName("fs_read", twins)).toBe("fs_read");
    expect(resolveToolName("grep", twins)).toBe("grep");
  });
});

describe("resolveToolName: other agents' names and near misses", () => {
  const owlet = ["bash", "fs_read", "fs_write", "fs_edit", "fs_ls", "fs_glob", "fs_grep"];
  it("maps common names of the built-in tools onto owlet's, only when offered", () => {
    expect(resolveToolName("read_file", owlet)).toBe("fs_read");
    expect(resolveToolName("run_command", owlet)).toBe("bash");
    expect(resolveToolName("str_replace", owlet)).toBe("fs_edit");
    expect(resolveToolName("list_dir", owlet)).toBe("fs_ls");
    expect(resolveToolName("read_file", ["bash"])).toBeUndefined();
  });

  it("accepts a one-letter slip but not a different word", () => {
    expect(resolveToolName("fs_reed", owlet)).toBe("fs_read");
    expect(resolveToolName("get_weathr", ["get_weather", "get_time"])).toBe("get_weather");
    expect(resolveToolName("deploy", owlet)).toBeUndefined();
    expect(resolveToolName("ls", ["ps"])).toBeUndefined();
  });
});
