import { describe, expect, it } from "vitest";
import { globToRegExp } from "./glob.ts";

const m = (glob: string, p: string) => globToRegExp(glob).test(p);

describe("globToRegExp", () => {
  it("matches ** across any number of directories", () => {
    expect(m("src/**/*.ts", "src/a.ts")).toBe(true);
    expect(m("src/**/*.ts", "src/x/y/a.ts")).toBe(true);
    expect(m("src/**/*.ts", "lib/a.ts")).toBe(false);
    expect(m("**", "a/b/c")).toBe(true);
    expect(m("src/**", "src/a/b")).toBe(true);
  });

  it("keeps * and ? within one segment", () => {
    expect(m("src/*.ts", "src/a.ts")).toBe(true);
    expect(m("src/*.ts", "src/x/a.ts")).toBe(false);
    expect(m("a?.md", "ab.md")).toBe(true);
    expect(m("a?.md", "a/.md")).toBe(false);
  });

  it("matches a pattern without / at any depth", () => {
    expect(m("*.ts", "a.ts")).toBe(true);
    expect(m("*.ts", "deep/er/a.ts")).toBe(true);
    expect(m("*.ts", "a.tsx")).toBe(false);
  });

  it("supports braces, classes, and escapes regex characters", () => {
    expect(m("*.{ts,js}", "x/a.js")).toBe(true);
    expect(m("*.{ts,js}", "a.py")).toBe(false);
    expect(m("file[0-9].txt", "file7.txt")).toBe(true);
    expect(m("file[!0-9].txt", "file7.txt")).toBe(false);
    expect(m("a+b(1).txt", "a+b(1).txt")).toBe(true);
    expect(m("a.txt", "abtxt")).toBe(false);
  });
});
