import { expect, it } from "vitest";
import { findKeyLine } from "./locate.ts";

const text = [
  "# top", // 1
  'title = "x"', // 2
  "[provider]", // 3
  'openai.api_key = "k"', // 4
  '"quoted.key" = 1', // 5
  'notes = """', // 6
  "fake = 1", // 7
  '"""', // 8
  "fake = 2", // 9
  "[[arms]]", // 10
  'id = "a"', // 11
  "[[arms]]", // 12
  'id = "b"', // 13
  "limits = { rpm = 1 }", // 14
  "[arms.extra]", // 15
  "k = 1", // 16
  "[ permission ]", // 17
  "rules = [ { tool = 'x' } ]", // 18
].join("\n");

it("finds keys, dotted keys and quoted keys", () => {
  expect(findKeyLine(text, ["title"])).toBe(2);
  expect(findKeyLine(text, ["provider"])).toBe(3);
  expect(findKeyLine(text, ["provider", "openai", "api_key"])).toBe(4);
  expect(findKeyLine(text, ["provider", "openai"])).toBe(4);
  expect(findKeyLine(text, ["provider", "quoted.key"])).toBe(5);
});

it("skips multi-line strings", () => {
  expect(findKeyLine(text, ["provider", "fake"])).toBe(9);
});

it("counts arrays of tables and their sub-tables", () => {
  expect(findKeyLine(text, ["arms", 0])).toBe(10);
  expect(findKeyLine(text, ["arms", 0, "id"])).toBe(11);
  expect(findKeyLine(text, ["arms", 1, "id"])).toBe(13);
  expect(findKeyLine(text, ["arms", 1, "extra", "k"])).toBe(16);
});

it("falls back to the nearest defined ancestor", () => {
  expect(findKeyLine(text, ["arms", 1, "limits", "rpm"])).toBe(14);
  expect(findKeyLine(text, ["arms", 1, "model"])).toBe(12);
  expect(findKeyLine(text, ["permission", "rules", 0, "tool"])).toBe(18);
  expect(findKeyLine(text, ["nowhere"])).toBeUndefined();
});
