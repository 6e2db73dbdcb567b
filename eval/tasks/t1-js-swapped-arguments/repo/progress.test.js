import assert from "node:assert/strict";
import { test } from "node:test";
import { percent, progress, progressBar } from "./progress.js";

test("percent", () => {
  assert.equal(percent(1, 4), 25);
  assert.equal(percent(3, 0), 0);
});

test("progress", () => {
  assert.equal(progress(3, 12), 25);
  assert.equal(progress(10, 10), 100);
});

test("progressBar", () => {
  assert.equal(progressBar(2, 4, 4), "[##--] 50%");
});
