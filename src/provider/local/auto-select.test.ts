import { describe, expect, it } from "vitest";
import { autoSelectProvider, DEFAULT_CLOUD_MODELS, NoProviderError } from "./auto-select.ts";
import type { DiscoveredServer } from "./discovery.ts";
import type { CachedModel } from "./models.ts";

const llama: DiscoveredServer = {
  provider: "llamacpp",
  baseURL: "http://127.0.0.1:8080/v1",
  models: [{ id: "tiny.gguf", contextWindow: 4096, toolUse: false }],
};
const ollama: DiscoveredServer = {
  provider: "ollama",
  baseURL: "http://127.0.0.1:11434/v1",
  models: [
    { id: "gemma:2b", contextWindow: 8192, toolUse: false },
    { id: "qwen2.5-coder:1.5b", contextWindow: 32768, toolUse: true },
  ],
};
const emptyLm: DiscoveredServer = { provider: "lmstudio", baseURL: "http://127.0.0.1:1234/v1", models: [] };
const cached: CachedModel[] = [
  { name: "custom", path: "/c/custom.gguf", sizeBytes: 1 },
  { name: "qwen2.5-coder-1.5b-instruct", path: "/c/qwen15.gguf", sizeBytes: 2 },
];

/** Records which sources were consulted. */
function sources(servers: DiscoveredServer[], models: CachedModel[]) {
  const calls: string[] = [];
  return {
    calls,
    discover: async () => {
      calls.push("discover");
      return servers;
    },
    cachedModels: async () => {
      calls.push("cached");
      return models;
    },
  };
}

describe("autoSelectProvider", () => {
  it("uses the configured provider first, without probing", async () => {
    const s = sources([ollama], cached);
    const sel = await autoSelectProvider({
      configured: { provider: "anthropic" },
      env: { OPENAI_API_KEY: "k" },
      ...s,
    });
    expect(sel).toMatchObject({ provider: "anthropic", model: DEFAULT_CLOUD_MODELS.anthropic });
    expect(sel.source).toContain("configured");
    expect(s.calls).toEqual([]);
  });

  it("fills a configured local provider's model from discovery", async () => {
    const s = sources([llama, ollama], cached);
    const sel = await autoSelectProvider({ configured: { provider: "ollama" }, env: {}, ...s });
    expect(sel).toMatchObject({ provider: "ollama", model: "qwen2.5-coder:1.5b", baseURL: ollama.baseURL });
  });

  it("takes a configured local provider's model from its configured base URL, not from a default port", async () => {
    const custom: DiscoveredServer = {
      provider: "ollama",
      baseURL: "http://127.0.0.1:9999/v1",
      models: [{ id: "llama3.2:3b", toolUse: true }],
    };
    const probed: string[] = [];
    const sel = await autoSelectProvider({
      configured: { provider: "ollama", baseURL: "http://127.0.0.1:9999" },
      env: {},
      ...sources([llama, ollama], cached),
      probe: async (provider, baseURL) => {
        probed.push(`${provider} ${baseURL}`);
        return custom;
      },
    });
    expect(probed).toEqual(["ollama http://127.0.0.1:9999"]);
    expect(sel).toMatchObject({ provider: "ollama", model: "llama3.2:3b", baseURL: "http://127.0.0.1:9999" });
  });

  it("fills a configured embedded provider from the cache, preferring the default model", async () => {
    const s = sources([], cached);
    const sel = await autoSelectProvider({ configured: { provider: "embedded" }, env: {}, ...s });
    expect(sel).toMatchObject({ provider: "embedded", modelPath: "/c/qwen15.gguf" });
    await expect(
      autoSelectProvider({ configured: { provider: "embedded" }, env: {}, ...sources([], []) }),
    ).rejects.toBeInstanceOf(NoProviderError);
  });

  it("prefers a running local server over API keys and cached models, choosing a tool-capable model", async () => {
    const s = sources([llama, ollama], cached);
    const sel = await autoSelectProvider({ env: { ANTHROPIC_API_KEY: "k" }, ...s });
    expect(sel).toMatchObject({
      provider: "ollama",
      model: "qwen2.5-coder:1.5b",
      baseURL: ollama.baseURL,
      contextWindow: 32768,
      toolUse: true,
    });
    expect(s.calls).toEqual(["discover"]);
  });

  it("takes the first server with a model when none is tool-capable", async () => {
    const sel = await autoSelectProvider({ env: {}, ...sources([emptyLm, llama], []) });
    expect(sel).toMatchObject({ provider: "llamacpp", model: "tiny.gguf" });
  });

  it("falls back to API keys in a fixed order, ignoring blank values", async () => {
    const env = { ANTHROPIC_API_KEY: "  ", MISTRAL_API_KEY: "m", GEMINI_API_KEY: "secret-gemini-value" };
    const sel = await autoSelectProvider({ env, ...sources([emptyLm], cached) });
    expect(sel).toMatchObject({ provider: "google", model: DEFAULT_CLOUD_MODELS.google });
    expect(sel.source).toContain("GEMINI_API_KEY");
    expect(JSON.stringify(sel)).not.toContain("secret-gemini-value");
  });

  it("falls back to a cached GGUF for the embedded runtime", async () => {
    const sel = await autoSelectProvider({ env: {}, ...sources([], cached) });
    expect(sel).toMatchObject({
      provider: "embedded",
      model: "qwen2.5-coder-1.5b-instruct",
      modelPath: "/c/qwen15.gguf",
    });
  });

  it("throws NoProviderError with three numbered ways out and exit code 2", async () => {
    const err = await autoSelectProvider({ env: {}, ...sources([emptyLm], []) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoProviderError);
    const e = err as NoProviderError;
    expect(e.exitCode).toBe(2);
    const numbered = e.message.split("\n").filter((l) => /^\s+\d\. /.test(l));
    expect(numbered).toHaveLength(3);
    expect(numbered[0]).toContain("owlet models pull");
    expect(numbered[1]).toMatch(/llama-server/);
    expect(numbered[1]).toMatch(/ollama/i);
    expect(numbered[1]).toMatch(/LM Studio/);
    expect(numbered[2]).toContain("API_KEY");
    expect(numbered[2]).toContain("--provider");
    expect(numbered[2]).toContain("--api-key");
  });
});
