import assert from "node:assert/strict";
import { test } from "node:test";
import { add, multiply } from "./math.js";

test("add", () => {
  assert.equal(add(2, 3), 5);
  assert.equal(add(-1, 1), 0);
});

test("multiply", () => {
  assert.equal(multiply(2, 3), 6);
});
