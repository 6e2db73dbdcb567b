import assert from "node:assert/strict";
import { test } from "node:test";
import { isEmail, isStrongPassword, isUsername } from "./validate.js";

test("isEmail", () => {
  assert.equal(isEmail("ann@example.com"), true);
  assert.equal(isEmail("ann.example.com"), false);
});

test("strong passwords are accepted", () => {
  assert.equal(isStrongPassword("Sunshine42"), true);
});

test("weak passwords are rejected", () => {
  assert.equal(isStrongPassword("Sun42"), false);
  assert.equal(isStrongPassword("Sunshinesunshine"), false);
  assert.equal(isStrongPassword("sunshine42"), false);
});

test("isUsername", () => {
  assert.equal(isUsername("ann_1"), true);
  assert.equal(isUsername("a!"), false);
});
