import assert from "node:assert/strict";
import { test } from "node:test";
import { countWords, mergeCounts, topWords } from "./wordcount.js";

test("countWords ignores case and punctuation", () => {
  assert.deepEqual(countWords("The cat. The hat!"), { the: 2, cat: 1, hat: 1 });
});

test("mergeCounts adds counts from both sides", () => {
  assert.deepEqual(mergeCounts({ a: 1, b: 2 }, { b: 3, c: 4 }), { a: 1, b: 5, c: 4 });
});

test("topWords", () => {
  assert.deepEqual(topWords({ x: 1, y: 3, z: 2, w: 3 }, 2), ["w", "y"]);
});
