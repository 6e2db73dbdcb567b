import { expect, it } from "vitest";
import { apiKeyEnvNames, resolveApiKey } from "./api-key.ts";

it("prefers the flag, then the config value, then the environment", () => {
  const env = { OPENAI_API_KEY: "env-key" };
  expect(resolveApiKey("openai", { flag: "flag-key", config: "cfg-key", env })).toBe("flag-key");
  expect(resolveApiKey("openai", { config: "cfg-key", env })).toBe("cfg-key");
  expect(resolveApiKey("openai", { env })).toBe("env-key");
  expect(resolveApiKey("openai", { flag: "", config: "", env })).toBe("env-key");
  expect(resolveApiKey("openai", { env: {} })).toBeUndefined();
});

it("reads each provider's own variables in order", () => {
  expect(resolveApiKey("anthropic", { env: { ANTHROPIC_API_KEY: "a", OPENAI_API_KEY: "o" } })).toBe("a");
  expect(resolveApiKey("google", { env: { GEMINI_API_KEY: "g2" } })).toBe("g2");
  expect(resolveApiKey("google", { env: { GEMINI_API_KEY: "g2", GOOGLE_GENERATIVE_AI_API_KEY: "g1" } })).toBe(
    "g1",
  );
  expect(resolveApiKey("mistral", { env: { MISTRAL_API_KEY: "m" } })).toBe("m");
  expect(apiKeyEnvNames("google")).toEqual(["GOOGLE_GENERATIVE_AI_API_KEY", "GEMINI_API_KEY"]);
});

it("has no environment variable for local providers", () => {
  for (const provider of ["llamacpp", "ollama", "lmstudio", "embedded"] as const) {
    expect(apiKeyEnvNames(provider)).toEqual([]);
    expect(resolveApiKey(provider, { env: { OPENAI_API_KEY: "x" } })).toBeUndefined();
    expect(resolveApiKey(provider, { config: "c", env: {} })).toBe("c");
  }
});
