import { describe, expect, it } from "vitest";
import {
  counterFor,
  encodingForModel,
  estimateCounter,
  estimateTokens,
  familyCounter,
  MESSAGE_OVERHEAD_TOKENS,
  modelCounter,
  overheadsOf,
  TOOL_CALL_OVERHEAD_TOKENS,
} from "./tokens.ts";

describe("estimateCounter", () => {
  it("counts UTF-8 bytes / 4 rounded up", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
    expect(estimateTokens("é".repeat(4))).toBe(2); // 8 bytes
    expect(estimateCounter.kind).toBe("estimate");
  });
  it("uses gnoma's overheads (+4 per message, +50 per tool call)", () => {
    expect(overheadsOf(estimateCounter)).toEqual({ perMessage: 4, perToolCall: 50 });
  });
});

describe("encodingForModel", () => {
  it("maps OpenAI and Anthropic families, not open-weight ones", () => {
    expect(encodingForModel("gpt-4o-mini")).toBe("o200k_base");
    expect(encodingForModel("openai/gpt-5")).toBe("o200k_base");
    expect(encodingForModel("o3-mini")).toBe("o200k_base");
    expect(encodingForModel("gpt-4-turbo")).toBe("cl100k_base");
    expect(encodingForModel("claude-sonnet-4-5")).toBe("cl100k_base");
    expect(encodingForModel("qwen2.5-coder:1.5b")).toBeUndefined();
    expect(encodingForModel("llama3.2")).toBeUndefined();
  });
});

describe("familyCounter", () => {
  it("counts with the real o200k BPE for GPT-4o", () => {
    const counter = familyCounter("gpt-4o");
    expect(counter.kind).toBe("family");
    expect(counter.count("hello world")).toBe(2);
    expect(counter.count("")).toBe(0);
    expect(overheadsOf(counter)).toEqual({
      perMessage: MESSAGE_OVERHEAD_TOKENS,
      perToolCall: TOOL_CALL_OVERHEAD_TOKENS,
    });
  });
  it("counts special-token text as plain text instead of throwing", () => {
    const counter = familyCounter("claude-3-5-haiku");
    expect(counter.count("<|endoftext|>")).toBeGreaterThan(1);
  });
  it("bounds the cost of one long run of characters", () => {
    const counter = familyCounter("gpt-4o");
    const start = performance.now();
    const n = counter.count("x".repeat(50_000));
    expect(n).toBeGreaterThan(1000);
    expect(performance.now() - start).toBeLessThan(5000);
  });
  it("falls back to the estimate for unknown families", () => {
    expect(familyCounter("smollm2-135m")).toBe(estimateCounter);
  });
});

describe("counterFor", () => {
  it("prefers the model's own tokenizer, then the family", () => {
    expect(counterFor("gpt-4o", (t) => t.length).kind).toBe("model");
    expect(counterFor("gpt-4o").kind).toBe("family");
    expect(counterFor("qwen2.5")).toBe(estimateCounter);
  });
});

describe("modelCounter", () => {
  it("wraps a model's own tokenizer", () => {
    const counter = modelCounter((text) => text.split(" ").length);
    expect(counter.kind).toBe("model");
    expect(counter.count("a b c")).toBe(3);
  });
});
