import assert from "node:assert/strict";
import { test } from "node:test";
import { validateSignup } from "../src/signup.js";

const valid = { name: "Ann", email: "ann@example.com", age: 30 };

test("a valid form has no errors", () => {
  assert.deepEqual(validateSignup(valid), []);
});

test("youngest allowed user", () => {
  assert.deepEqual(validateSignup({ ...valid, age: 13 }), []);
});

test("too young", () => {
  assert.deepEqual(validateSignup({ ...valid, age: 12 }), ["age must be between 13 and 120"]);
});

test("several errors", () => {
  assert.deepEqual(validateSignup({ name: " ", email: "nope", age: 40 }), [
    "name is required",
    "email is not valid",
  ]);
});
