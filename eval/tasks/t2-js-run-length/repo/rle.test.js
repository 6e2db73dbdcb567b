import assert from "node:assert/strict";
import { test } from "node:test";
import { decode, encode } from "./rle.js";

test("encode", () => {
  assert.equal(encode(""), "");
  assert.equal(encode("XYZ"), "XYZ");
  assert.equal(encode("AABBBCCCC"), "2A3B4C");
  assert.equal(encode("WWWWWWWWWWWWBWWWWWWWWWWWWBBBWWWWWWWWWWWWWWWWWWWWWWWWB"), "12WB12W3B24WB");
  assert.equal(encode("  hsqq qww  "), "2 hs2q q2w2 ");
});

test("decode", () => {
  assert.equal(decode(""), "");
  assert.equal(decode("XYZ"), "XYZ");
  assert.equal(decode("2A3B4C"), "AABBBCCCC");
  assert.equal(decode("12WB12W3B24WB"), "WWWWWWWWWWWWBWWWWWWWWWWWWBBBWWWWWWWWWWWWWWWWWWWWWWWWB");
});

test("round trip", () => {
  assert.equal(decode(encode("zzz ZZ  zZ")), "zzz ZZ  zZ");
});
