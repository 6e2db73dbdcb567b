import { afterEach, describe, expect, it } from "vitest";
import {
  closedLoopbackOrigin,
  type FakeServer,
  startFakeLlamaCpp,
  startFakeLmStudio,
  startFakeOllama,
} from "../../../test/support/fake-local-servers.ts";
import {
  OLLAMA_NUM_CTX_CAP,
  OLLAMA_NUM_CTX_FLOOR,
  ollamaNumCtx,
  resolveContextWindow,
} from "./context-window.ts";

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("resolveContextWindow", () => {
  it("prefers the flag over config and the server", async () => {
    const s = await startFakeLlamaCpp({ nCtx: 4096 });
    servers.push(s);
    expect(
      await resolveContextWindow({
        flag: 1000,
        config: 2000,
        provider: "llamacpp",
        baseURL: s.origin,
        model: "m",
      }),
    ).toBe(1000);
    expect(s.requests).toHaveLength(0);
  });

  it("uses config when there is no flag", async () => {
    const s = await startFakeLlamaCpp({ nCtx: 4096 });
    servers.push(s);
    expect(
      await resolveContextWindow({ config: 2000, provider: "llamacpp", baseURL: s.origin, model: "m" }),
    ).toBe(2000);
  });

  it("asks llama.cpp /props for n_ctx otherwise", async () => {
    const s = await startFakeLlamaCpp({ nCtx: 4096 });
    servers.push(s);
    expect(await resolveContextWindow({ provider: "llamacpp", baseURL: `${s.origin}/v1`, model: "m" })).toBe(
      4096,
    );
  });

  it("caps Ollama's reported context length at what owlet sends as num_ctx", async () => {
    const s = await startFakeOllama({
      models: [
        { name: "big", contextLength: 131072 },
        { name: "small", contextLength: 8192 },
      ],
    });
    servers.push(s);
    expect(await resolveContextWindow({ provider: "ollama", baseURL: s.origin, model: "big" })).toBe(
      OLLAMA_NUM_CTX_CAP,
    );
    expect(await resolveContextWindow({ provider: "ollama", baseURL: s.origin, model: "small" })).toBe(8192);
    expect(
      await resolveContextWindow({ provider: "ollama", baseURL: s.origin, model: "absent" }),
    ).toBeUndefined();
  });

  it("reads LM Studio's loaded context length", async () => {
    const s = await startFakeLmStudio({
      models: [{ id: "q", maxContextLength: 32768, loadedContextLength: 8192 }],
    });
    servers.push(s);
    expect(await resolveContextWindow({ provider: "lmstudio", baseURL: s.origin, model: "q" })).toBe(8192);
  });

  it("returns undefined for cloud providers and unreachable servers", async () => {
    expect(await resolveContextWindow({ provider: "openai", model: "gpt" })).toBeUndefined();
    const closed = await closedLoopbackOrigin();
    expect(await resolveContextWindow({ provider: "llamacpp", baseURL: closed, model: "m" })).toBeUndefined();
  });
});

describe("ollamaNumCtx", () => {
  it("covers prompt + output reserve, rounded up to 1024", () => {
    expect(ollamaNumCtx({ promptTokens: 3000, outputReserve: 1000, modelMax: 32768 })).toBe(4096);
    expect(ollamaNumCtx({ promptTokens: 3097, outputReserve: 1000, modelMax: 32768 })).toBe(5120);
  });
  it("never goes below the floor nor above the model maximum or the cap", () => {
    expect(ollamaNumCtx({ promptTokens: 10, outputReserve: 10 })).toBe(OLLAMA_NUM_CTX_FLOOR);
    expect(ollamaNumCtx({ promptTokens: 10_000, outputReserve: 2_000, modelMax: 8192 })).toBe(8192);
    expect(ollamaNumCtx({ promptTokens: 100_000, outputReserve: 2_000, modelMax: 131072 })).toBe(
      OLLAMA_NUM_CTX_CAP,
    );
    expect(ollamaNumCtx({ promptTokens: 10, outputReserve: 10, modelMax: 1024 })).toBe(1024);
  });
});
