import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import {
  closedLoopbackOrigin,
  type FakeServer,
  startFakeLlamaCpp,
  startFakeOllama,
} from "../../../test/support/fake-local-servers.ts";
import { discoverLocalServers } from "../../provider/local/discovery.ts";
import { apiKeyStatus, type ProvidersReport, runProvidersCommand } from "./providers.ts";

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const env = { ANTHROPIC_API_KEY: "sk-ant-very-secret", OPENAI_API_KEY: "", GEMINI_API_KEY: "g-secret-value" };
const cached = [{ name: "qwen2.5-coder-0.5b-instruct", path: "/cache/q.gguf", sizeBytes: 491_000_000 }];

describe("apiKeyStatus", () => {
  it("reports names and set/unset only", () => {
    const st = apiKeyStatus(env);
    expect(st).toContainEqual({ provider: "anthropic", variable: "ANTHROPIC_API_KEY", set: true });
    expect(st).toContainEqual({ provider: "openai", variable: "OPENAI_API_KEY", set: false });
    expect(st).toContainEqual({ provider: "google", variable: "GEMINI_API_KEY", set: true });
    expect(st).toContainEqual({ provider: "mistral", variable: "MISTRAL_API_KEY", set: false });
  });
});

describe("runProvidersCommand", () => {
  it("prints discovered servers with context and tool support, key names (never values) and cached models", async () => {
    const [l, o] = await Promise.all([
      startFakeLlamaCpp({ nCtx: 4096, supportsTools: false, modelIds: ["tiny"] }),
      startFakeOllama({ models: [{ name: "qwen2.5-coder:1.5b", contextLength: 32768 }] }),
    ]);
    servers.push(l, o);
    const closed = await closedLoopbackOrigin();
    const out = sink();
    const code = await runProvidersCommand({
      out: out.stream,
      env,
      cacheDir: "/cache",
      cachedModels: async () => cached,
      discover: () =>
        discoverLocalServers({ hosts: { llamacpp: l.origin, ollama: o.origin, lmstudio: closed } }),
    });
    expect(code).toBe(0);
    const text = out.text();
    expect(text).toContain(`llama.cpp  ${l.origin}/v1`);
    expect(text).toMatch(/tiny {2}context 4096 {2}tools no/);
    expect(text).toMatch(/qwen2\.5-coder:1\.5b {2}context 32768 {2}tools yes/);
    expect(text).toMatch(/ANTHROPIC_API_KEY {2}set/);
    expect(text).toMatch(/OPENAI_API_KEY {2}not set/);
    expect(text).not.toContain("sk-ant-very-secret");
    expect(text).not.toContain("g-secret-value");
    expect(text).toContain("/cache/q.gguf");
    expect(text).not.toContain("LM Studio");
  });

  it("says so when nothing is found", async () => {
    const out = sink();
    await runProvidersCommand({
      out: out.stream,
      env: {},
      cacheDir: "/c",
      cachedModels: async () => [],
      discover: async () => [],
    });
    expect(out.text()).toMatch(/Local servers:\n {2}none found/);
    expect(out.text()).toMatch(/owlet models pull/);
  });

  it("prints JSON with --json", async () => {
    const out = sink();
    const server = {
      provider: "lmstudio" as const,
      baseURL: "http://x/v1",
      models: [{ id: "m", contextWindow: 10 }],
    };
    await runProvidersCommand({
      json: true,
      out: out.stream,
      env,
      cacheDir: "/cache",
      cachedModels: async () => cached,
      discover: async () => [server],
    });
    const report = JSON.parse(out.text()) as ProvidersReport;
    expect(report.localServers).toEqual([server]);
    expect(report.cachedModels).toEqual(cached);
    expect(report.apiKeys.find((k) => k.variable === "ANTHROPIC_API_KEY")?.set).toBe(true);
    expect(out.text()).not.toContain("sk-ant-very-secret");
  });
});
