import assert from "node:assert/strict";
import { test } from "node:test";
import { capitalize, truncate, wordCount } from "./text.js";

test("truncate leaves short text alone", () => {
  assert.equal(truncate("hello", 10), "hello");
});

test("truncate cuts long text", () => {
  assert.equal(truncate("abcdefghij", 5), "abcd…");
});

test("truncate uses a default length of 20", () => {
  assert.equal(truncate("a short sentence"), "a short sentence");
  assert.equal(truncate("this sentence is longer than twenty"), "this sentence is lo…");
});

test("capitalize and wordCount", () => {
  assert.equal(capitalize("owl"), "Owl");
  assert.equal(wordCount("  one two   three "), 3);
});
