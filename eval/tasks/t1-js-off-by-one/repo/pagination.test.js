import assert from "node:assert/strict";
import { test } from "node:test";
import { hasNextPage, pageCount, pageItems } from "./pagination.js";

const letters = ["a", "b", "c", "d", "e", "f", "g"];

test("page count rounds up", () => {
  assert.equal(pageCount(7, 3), 3);
  assert.equal(pageCount(6, 3), 2);
});

test("first page starts at the first item", () => {
  assert.deepEqual(pageItems(letters, 1, 3), ["a", "b", "c"]);
});

test("last page holds the remainder", () => {
  assert.deepEqual(pageItems(letters, 3, 3), ["g"]);
});

test("hasNextPage", () => {
  assert.equal(hasNextPage(7, 2, 3), true);
  assert.equal(hasNextPage(7, 3, 3), false);
});
