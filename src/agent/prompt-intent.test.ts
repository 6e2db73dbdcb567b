import { describe, expect, it } from "vitest";
import { promptAsksForChange } from "./prompt-intent.ts";

describe("promptAsksForChange", () => {
  it("is true for prompts that ask to fix, implement or change code", () => {
    for (const p of [
      "The tests fail. Fix the bug in stats.js.",
      "test_windows fails, please fix it",
      "npm test is red, can you fix it?",
      "Implement the functions in wordy.js so that wordy.spec.js passes.",
      "fix the add function",
    ])
      expect(promptAsksForChange(p), p).toBe(true);
  });
  it("is false for questions, reviews, running things and small talk", () => {
    for (const p of [
      "what does math.js do?",
      "review this diff",
      "run the tests",
      "hi",
      "remember the word owl",
    ])
      expect(promptAsksForChange(p), p).toBe(false);
  });
});

describe("promptAsksForChange and code blocks", () => {
  it("does not read fenced code (attached files, pasted logs), only the request around it", () => {
    const attached =
      "what is in @math.js ?\n\nContents of math.js:\n```js\nexport function add(a, b) {}\n```";
    expect(promptAsksForChange(attached)).toBe(false);
    expect(promptAsksForChange(`fix it\n\n\`\`\`\nerror: nothing\n\`\`\``)).toBe(true);
  });
});
