import { describe, expect, it } from "vitest";
import { classifyHeuristic, keywordScores } from "./heuristic.ts";

describe("classifyHeuristic", () => {
  it.each([
    ["Fix the crash in src/parser.ts when the input is empty", "debug"],
    ["Check this endpoint for SQL injection and XSS", "security_review"],
    ["Refactor the config loader into smaller functions", "refactor"],
    ["Write unit tests for the tokenizer", "unit_test"],
    ["Explain how the retry loop works in engine.ts", "explain"],
    ["Plan the migration from REST to gRPC in phases", "planning"],
    ["Orchestrate sub-agents to update each package in parallel", "orchestration"],
    ["Implement a --json flag for the list command", "generation"],
    ["Scaffold a Dockerfile and a .gitignore for this project", "boilerplate"],
    ["Review my pull request for the cache layer", "review"],
  ])("%s → %s", (prompt, type) => {
    expect(classifyHeuristic(prompt).type).toBe(type);
  });

  it("matches whole words, not substrings (latest ≠ test, prefix ≠ fix)", () => {
    const s = keywordScores("show the latest prefix");
    expect(s.unit_test).toBe(0);
    expect(s.debug).toBe(0);
  });

  it("lets the leading verb outweigh a later keyword", () => {
    // gnoma's cascade would say debug ("failing" is checked before "test").
    expect(classifyHeuristic("Write tests covering the failing edge cases of parseDate").type).toBe(
      "unit_test",
    );
    expect(classifyHeuristic("Fix the failing test in auth.test.ts").type).toBe("debug");
  });

  it("applies the per-type complexity floor", () => {
    expect(classifyHeuristic("audit it for secrets").complexity).toBeGreaterThanOrEqual(0.6);
    expect(classifyHeuristic("fix typo").complexity).toBeGreaterThanOrEqual(0.4);
  });

  it("raises complexity with complex words and long prompts", () => {
    const simple = classifyHeuristic("add a function that adds two numbers");
    const complex = classifyHeuristic(
      "implement a distributed system integration and optimize it end-to-end",
    );
    expect(complex.complexity).toBeGreaterThan(simple.complexity + 0.4);
  });

  it("turns tools off for trivial prompts without tool words", () => {
    expect(classifyHeuristic("write a haiku about rust").requiresTools).toBe(true); // 'write' is a tool word
    expect(classifyHeuristic("what is a closure").requiresTools).toBe(false);
    expect(classifyHeuristic("make a regex for emails").requiresTools).toBe(false);
    expect(classifyHeuristic("Explain what parseArgs in src/cli.ts does").requiresTools).toBe(true);
    expect(classifyHeuristic("Fix the bug in main.go").requiresTools).toBe(true);
  });

  it("sets priority high for security, orchestration and urgent prompts", () => {
    expect(classifyHeuristic("check for xss").priority).toBe("high");
    expect(classifyHeuristic("urgent: fix the login crash").priority).toBe("high");
    expect(classifyHeuristic("fix the login crash").priority).toBe("normal");
  });

  it("defaults to generation and says so", () => {
    const t = classifyHeuristic("hmm");
    expect(t.type).toBe("generation");
    expect(t.reason).toMatch(/default/);
    expect(t.source).toBe("heuristic");
  });
});
