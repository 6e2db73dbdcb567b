import assert from "node:assert/strict";
import { test } from "node:test";
import { Cart } from "../src/cart.js";

test("empty cart", () => {
  assert.equal(new Cart().summary(), "0 items, total $0.00");
});

test("eraser", () => {
  const cart = new Cart();
  cart.add("eraser", 3);
  assert.equal(cart.subtotalCents(), 150);
});

test("subtotal of several items", () => {
  const cart = new Cart();
  cart.add("notebook");
  cart.add("pen", 2);
  assert.equal(cart.subtotalCents(), 665);
});

test("summary with a discount", () => {
  const cart = new Cart();
  cart.add("backpack", 2);
  assert.equal(cart.summary(10), "2 items, total $35.98");
});

test("unknown items are refused", () => {
  assert.throws(() => new Cart().add("laptop"), /unknown item/);
});
