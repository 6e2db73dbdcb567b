import { describe, expect, it } from "vitest";
import {
  ArmConfigError,
  armSpecFromConfig,
  armSpecsFromConfig,
  buildArms,
  isLocalArm,
  mergeArmSpecs,
  requestCostUSD,
} from "./arm.ts";
import { scriptedProvider } from "./test-helpers.ts";

describe("armSpecFromConfig", () => {
  it("maps a snake_case [[arms]] row", () => {
    const spec = armSpecFromConfig({
      id: "fast",
      provider: "openai-compatible",
      model: "qwen",
      base_url: "http://127.0.0.1:8080/v1",
      context_window: 32768,
      max_output_tokens: 4096,
      tool_use: false,
      price_input: 0.5,
      price_output: 1.5,
      strengths: ["Debug", "unit-test"],
      cost_weight: 2,
      max_complexity: 0.5,
      disabled: true,
      limits: { rpm: 10, rpd: 100, tokens_month: 1e6, spend_cap: 5 },
    });
    expect(spec).toEqual({
      id: "fast",
      provider: "openai-compatible",
      model: "qwen",
      baseURL: "http://127.0.0.1:8080/v1",
      local: true,
      toolUse: false,
      contextWindow: 32768,
      maxOutputTokens: 4096,
      priceInputPerMTok: 0.5,
      priceOutputPerMTok: 1.5,
      strengths: ["debug", "unit_test"],
      costWeight: 2,
      maxComplexity: 0.5,
      disabled: true,
      limits: { rpm: 10, rpd: 100, tokensPerMonth: 1e6, spendCap: 5 },
    });
  });

  it("defaults id, tool use and cost weight", () => {
    const spec = armSpecFromConfig({ provider: "anthropic", model: "claude-x" });
    expect(spec.id).toBe("anthropic/claude-x");
    expect(spec.toolUse).toBe(true);
    expect(spec.costWeight).toBe(1);
    expect(spec.local).toBe(false);
  });

  it.each([
    [{ model: "m" }, /provider is required/],
    [{ provider: "foo", model: "m" }, /unknown provider "foo"/],
    [{ provider: "openai" }, /model is required/],
    [{ provider: "openai", model: "m", price_input: "cheap" }, /price_input must be a number/],
    [{ provider: "openai", model: "m", strengths: ["speed"] }, /unknown strength "speed"/],
    [{ provider: "openai", model: "m", max_complexity: 3 }, /between 0 and 1/],
    [{ provider: "openai", model: "m", limits: 5 }, /limits must be a table/],
  ])("rejects %j", (row, msg) => {
    expect(() => armSpecFromConfig(row, 2)).toThrow(ArmConfigError);
    expect(() => armSpecFromConfig(row, 2)).toThrow(msg);
    expect(() => armSpecFromConfig(row, 2)).toThrow(/#3/);
  });

  it("rejects duplicate ids", () => {
    expect(() =>
      armSpecsFromConfig([
        { provider: "openai", model: "a" },
        { provider: "openai", model: "a" },
      ]),
    ).toThrow(/appears twice/);
  });
});

describe("isLocalArm", () => {
  it("knows local providers and loopback URLs", () => {
    expect(isLocalArm("ollama")).toBe(true);
    expect(isLocalArm("embedded")).toBe(true);
    expect(isLocalArm("openai-compatible", "http://localhost:1234/v1")).toBe(true);
    expect(isLocalArm("openai-compatible", "http://[::1]:8080")).toBe(true);
    expect(isLocalArm("openai-compatible", "https://api.together.xyz/v1")).toBe(false);
    expect(isLocalArm("openai")).toBe(false);
  });
});

describe("mergeArmSpecs and buildArms", () => {
  it("lets a config row add prices to a discovered arm and keeps order", () => {
    const merged = mergeArmSpecs(
      [
        { id: "ollama/qwen", provider: "ollama", model: "qwen", contextWindow: 8192 },
        { id: "x", provider: "openai", model: "x" },
      ],
      [{ id: "ollama/qwen", strengths: ["debug"], costWeight: 0 }],
    );
    expect(merged.map((a) => a.id)).toEqual(["ollama/qwen", "x"]);
    expect(merged[0]).toMatchObject({
      local: true,
      contextWindow: 8192,
      strengths: ["debug"],
      costWeight: 0,
      toolUse: true,
    });
  });

  it("attaches handles with the provider from makeProvider", () => {
    const p = scriptedProvider("ollama");
    const [arm] = buildArms(
      mergeArmSpecs([{ id: "a", provider: "ollama", model: "m", contextWindow: 100 }]),
      () => p,
    );
    expect(arm!.handle).toEqual({
      id: "a",
      provider: p,
      model: "m",
      local: true,
      contextWindow: 100,
      toolUse: true,
    });
  });

  it("prices a request per 1M tokens", () => {
    const spec = armSpecFromConfig({ provider: "openai", model: "m", price_input: 3, price_output: 15 });
    expect(requestCostUSD(spec, 10_000, 1_000)).toBeCloseTo(0.03 + 0.015, 10);
  });
});
