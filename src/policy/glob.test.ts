import { expect, it } from "vitest";
import { globToRegExp, matchGlob } from "./glob.ts";

it("matches whole strings with * ? and sets", () => {
  expect(matchGlob("fs_*", "fs_read")).toBe(true);
  expect(matchGlob("fs_*", "xfs_read")).toBe(false);
  expect(matchGlob("*", "anything/at all\nnewline")).toBe(true);
  expect(matchGlob("rm *", "rm -rf /tmp/x")).toBe(true);
  expect(matchGlob("rm *", "npm rm x")).toBe(false);
  expect(matchGlob("*secret*", "cat my-secret.txt")).toBe(true);
  expect(matchGlob("b?sh", "bash")).toBe(true);
  expect(matchGlob("[bd]ash", "dash")).toBe(true);
  expect(matchGlob("[!bd]ash", "dash")).toBe(false);
});

it("treats regex metacharacters literally", () => {
  expect(matchGlob("a.b", "axb")).toBe(false);
  expect(matchGlob("a.b", "a.b")).toBe(true);
  expect(matchGlob("(x)+$", "(x)+$")).toBe(true);
  expect(matchGlob("[unclosed", "[unclosed")).toBe(true);
  expect(globToRegExp("src/**").test("src/a/b.ts")).toBe(true);
});
