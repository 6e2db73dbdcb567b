import assert from "node:assert/strict";
import { test } from "node:test";
import { formatPrice, pluralize, receiptLine } from "./format.js";

test("formatPrice pads cents", () => {
  assert.equal(formatPrice(1205), "$12.05");
  assert.equal(formatPrice(99), "$0.99");
});

test("pluralize", () => {
  assert.equal(pluralize(1, "item"), "1 item");
  assert.equal(pluralize(3, "item"), "3 items");
});

test("receiptLine", () => {
  assert.equal(receiptLine(2, 350), "2 items: $3.50");
});
