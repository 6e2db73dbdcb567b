import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTable, sumColumn } from "../src/table.js";

test("simple table", () => {
  const rows = parseTable("name,qty\napple,3\npear,4\n");
  assert.deepEqual(rows, [
    { name: "apple", qty: "3" },
    { name: "pear", qty: "4" },
  ]);
  assert.equal(sumColumn(rows, "qty"), 7);
});

test("quoted fields keep their commas", () => {
  const rows = parseTable('name,city,qty\n"Smith, Jr.",Boston,2\nLee,"Portland, OR",5');
  assert.deepEqual(rows, [
    { name: "Smith, Jr.", city: "Boston", qty: "2" },
    { name: "Lee", city: "Portland, OR", qty: "5" },
  ]);
  assert.equal(sumColumn(rows, "qty"), 7);
});

test("blank lines are skipped", () => {
  assert.equal(parseTable("a,b\r\n\r\n1,2\r\n").length, 1);
});
