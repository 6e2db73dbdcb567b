import assert from "node:assert/strict";
import { test } from "node:test";
import { celsiusToFahrenheit, describe, fahrenheitToCelsius } from "./temperature.js";

test("celsius to fahrenheit", () => {
  assert.equal(celsiusToFahrenheit(100), 212);
  assert.equal(celsiusToFahrenheit(0), 32);
});

test("fahrenheit to celsius", () => {
  assert.equal(fahrenheitToCelsius(212), 100);
  assert.equal(fahrenheitToCelsius(32), 0);
});

test("describe", () => {
  assert.equal(describe(-5), "freezing");
  assert.equal(describe(20), "mild");
  assert.equal(describe(30), "hot");
});
