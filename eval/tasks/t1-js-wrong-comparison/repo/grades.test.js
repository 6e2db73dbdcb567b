import assert from "node:assert/strict";
import { test } from "node:test";
import { distribution, letterGrade, passed } from "./grades.js";

test("letter grades", () => {
  assert.equal(letterGrade(95), "A");
  assert.equal(letterGrade(85), "B");
  assert.equal(letterGrade(42), "F");
});

test("boundaries belong to the higher grade", () => {
  assert.equal(letterGrade(90), "A");
  assert.equal(letterGrade(60), "D");
});

test("passed", () => {
  assert.equal(passed(61), true);
  assert.equal(passed(59), false);
});

test("distribution", () => {
  assert.deepEqual(distribution([91, 85, 72, 30]), { A: 1, B: 1, C: 1, D: 0, F: 1 });
});
