import assert from "node:assert/strict";
import { test } from "node:test";
import { mean, median, range, sum } from "./stats.js";

test("sum adds all values", () => {
  assert.equal(sum([1, 2, 3, 4]), 10);
});

test("mean of values", () => {
  assert.equal(mean([2, 4, 6]), 4);
});

test("range is max minus min", () => {
  assert.equal(range([3, 9, 4, 1]), 8);
  assert.equal(range([5, 5]), 0);
});

test("median of odd and even lengths", () => {
  assert.equal(median([7, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});
