import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDuration, fromSeconds, toSeconds } from "./duration.js";

test("toSeconds", () => {
  assert.equal(toSeconds({ minutes: 2, seconds: 5 }), 125);
  assert.equal(toSeconds({ hours: 1 }), 3600);
});

test("fromSeconds", () => {
  assert.deepEqual(fromSeconds(3725), { hours: 1, minutes: 2, seconds: 5 });
});

test("formatDuration", () => {
  assert.equal(formatDuration(59), "0:00:59");
  assert.equal(formatDuration(7384), "2:03:04");
});
