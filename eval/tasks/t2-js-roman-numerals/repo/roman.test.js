import assert from "node:assert/strict";
import { test } from "node:test";
import { fromRoman, toRoman } from "./roman.js";

test("toRoman simple numbers", () => {
  assert.equal(toRoman(1), "I");
  assert.equal(toRoman(8), "VIII");
  assert.equal(toRoman(30), "XXX");
});

test("toRoman subtractive forms", () => {
  assert.equal(toRoman(4), "IV");
  assert.equal(toRoman(9), "IX");
  assert.equal(toRoman(40), "XL");
  assert.equal(toRoman(944), "CMXLIV");
  assert.equal(toRoman(1994), "MCMXCIV");
  assert.equal(toRoman(3999), "MMMCMXCIX");
});

test("toRoman rejects numbers out of range", () => {
  assert.throws(() => toRoman(0), RangeError);
  assert.throws(() => toRoman(4000), RangeError);
  assert.throws(() => toRoman(2.5), RangeError);
});

test("fromRoman", () => {
  assert.equal(fromRoman("III"), 3);
  assert.equal(fromRoman("XLII"), 42);
  assert.equal(fromRoman("MCMXCIV"), 1994);
});

test("round trip", () => {
  for (let n = 1; n < 4000; n += 37) assert.equal(fromRoman(toRoman(n)), n);
});
