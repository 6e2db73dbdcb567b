import { afterEach, describe, expect, it } from "vitest";
import {
  closedLoopbackOrigin,
  type FakeServer,
  startFakeLlamaCpp,
  startFakeLmStudio,
  startFakeOllama,
} from "../../../test/support/fake-local-servers.ts";
import { discoverLocalServers, probeLlamaCpp, probeLmStudio, probeOllama, serverRoot } from "./discovery.ts";

const servers: FakeServer[] = [];
async function track(p: Promise<FakeServer>): Promise<FakeServer> {
  const s = await p;
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("serverRoot", () => {
  it("strips /v1, /api and trailing slashes", () => {
    expect(serverRoot("http://h:1/v1/")).toBe("http://h:1");
    expect(serverRoot("http://h:1/api")).toBe("http://h:1");
    expect(serverRoot("http://h:1/api/v0")).toBe("http://h:1");
    expect(serverRoot("http://h:1")).toBe("http://h:1");
    expect(serverRoot("http://h:1/proxy/ollama")).toBe("http://h:1/proxy/ollama");
  });
});

describe("probeLlamaCpp", () => {
  it("reads n_ctx, tool support and the model id from /props and /v1/models", async () => {
    const s = await track(startFakeLlamaCpp({ nCtx: 4096, supportsTools: true, modelIds: ["qwen-local"] }));
    const found = await probeLlamaCpp(s.origin);
    expect(found).toEqual({
      provider: "llamacpp",
      baseURL: `${s.origin}/v1`,
      models: [{ id: "qwen-local", contextWindow: 4096, toolUse: true }],
    });
  });

  it("reports no tool support when the template lacks it, and falls back to the model file name", async () => {
    const s = await track(
      startFakeLlamaCpp({ nCtx: 2048, supportsTools: false, modelPath: "/m/tiny.gguf", modelIds: [] }),
    );
    const found = await probeLlamaCpp(s.origin);
    expect(found?.models).toEqual([{ id: "tiny.gguf", contextWindow: 2048, toolUse: false }]);
  });

  it("leaves tool support unknown when /props has no chat_template_caps", async () => {
    const s = await track(startFakeLlamaCpp({ nCtx: 8192 }));
    const found = await probeLlamaCpp(`${s.origin}/v1`);
    expect(found?.models[0]?.toolUse).toBeUndefined();
    expect(found?.baseURL).toBe(`${s.origin}/v1`);
  });
});

describe("probeOllama", () => {
  it("lists models with capabilities and context length from /api/show, skipping embedding models", async () => {
    const s = await track(
      startFakeOllama({
        models: [
          {
            name: "qwen2.5-coder:1.5b",
            arch: "qwen2",
            contextLength: 32768,
            capabilities: ["completion", "tools"],
          },
          { name: "gemma:2b", arch: "gemma", contextLength: 8192, capabilities: ["completion"] },
          { name: "nomic-embed-text", arch: "nomic-bert", contextLength: 2048, capabilities: ["embedding"] },
        ],
      }),
    );
    const found = await probeOllama(s.origin);
    expect(found).toEqual({
      provider: "ollama",
      baseURL: `${s.origin}/v1`,
      models: [
        { id: "qwen2.5-coder:1.5b", contextWindow: 32768, toolUse: true },
        { id: "gemma:2b", contextWindow: 8192, toolUse: false },
      ],
    });
    const shows = s.requests
      .filter((r) => r.path === "/api/show")
      .map((r) => (r.body as { model: string }).model);
    expect(shows.sort()).toEqual(["gemma:2b", "nomic-embed-text", "qwen2.5-coder:1.5b"]);
  });
});

describe("probeLmStudio", () => {
  it("lists /v1/models ids with context from the REST API, preferring the loaded context", async () => {
    const s = await track(
      startFakeLmStudio({
        models: [
          {
            id: "qwen2.5-7b-instruct",
            maxContextLength: 32768,
            loadedContextLength: 4096,
            capabilities: ["tool_use"],
          },
          { id: "phi-3", maxContextLength: 4096 },
          { id: "text-embedding-nomic", type: "embeddings", maxContextLength: 2048 },
        ],
      }),
    );
    const found = await probeLmStudio(s.origin);
    expect(found?.models).toEqual([
      { id: "qwen2.5-7b-instruct", contextWindow: 4096, toolUse: true },
      { id: "phi-3", contextWindow: 4096 },
    ]);
  });

  it("still lists models when the REST API is absent", async () => {
    const s = await track(startFakeLmStudio({ models: [{ id: "m1" }], restApi: false }));
    expect((await probeLmStudio(s.origin))?.models).toEqual([{ id: "m1" }]);
  });
});

describe("discoverLocalServers", () => {
  it("finds all three kinds in parallel, in llama.cpp, Ollama, LM Studio order", async () => {
    const [l, o, m] = await Promise.all([
      track(startFakeLlamaCpp({ supportsTools: true })),
      track(startFakeOllama()),
      track(startFakeLmStudio()),
    ]);
    const found = await discoverLocalServers({
      hosts: { llamacpp: l.origin, ollama: o.origin, lmstudio: m.origin },
    });
    expect(found.map((s) => s.provider)).toEqual(["llamacpp", "ollama", "lmstudio"]);
    expect(found.every((s) => s.baseURL.endsWith("/v1") && s.models.length > 0)).toBe(true);
  });

  it("omits absent servers quickly and does not throw", async () => {
    const o = await track(startFakeOllama());
    const closed = await closedLoopbackOrigin();
    const t0 = Date.now();
    const found = await discoverLocalServers({
      hosts: { llamacpp: closed, ollama: o.origin, lmstudio: closed },
    });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(found.map((s) => s.provider)).toEqual(["ollama"]);
  });

  it("gives up on a server that accepts but never answers within the timeout", async () => {
    const { createServer } = await import("node:http");
    const hang = createServer(() => {});
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
    const port = (hang.address() as { port: number }).port;
    const closed = await closedLoopbackOrigin();
    try {
      const t0 = Date.now();
      const found = await discoverLocalServers({
        hosts: { llamacpp: `http://127.0.0.1:${port}`, ollama: closed, lmstudio: closed },
        timeoutMs: 200,
      });
      expect(found).toEqual([]);
      expect(Date.now() - t0).toBeLessThan(1500);
    } finally {
      hang.closeAllConnections();
      await new Promise<void>((r) => hang.close(() => r()));
    }
  });

  it("ignores a server that answers with non-JSON or errors", async () => {
    const closed = await closedLoopbackOrigin();
    const fakeFetch: typeof fetch = async () => new Response("<html>nope</html>", { status: 200 });
    const found = await discoverLocalServers({
      hosts: { llamacpp: closed, ollama: closed, lmstudio: closed },
      fetch: fakeFetch,
    });
    expect(found).toEqual([]);
  });
});
