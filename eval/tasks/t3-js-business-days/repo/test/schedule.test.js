import assert from "node:assert/strict";
import { test } from "node:test";
import { addBusinessDays, dueDate } from "../src/index.js";

test("the next business day after a Friday is Monday", () => {
  assert.equal(addBusinessDays("2024-03-01", 1), "2024-03-04");
});

test("midweek", () => {
  assert.equal(addBusinessDays("2024-03-05", 2), "2024-03-07");
});

test("invoices are due ten business days later", () => {
  assert.equal(dueDate("2024-03-04"), "2024-03-18");
});
