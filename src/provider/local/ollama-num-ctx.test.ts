import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeOllama } from "../../../test/support/fake-local-servers.ts";
import type { ProviderRequest } from "../types.ts";
import { createOllamaProvider } from "./ollama.ts";
import { numCtxFor, numCtxOf } from "./ollama-num-ctx.ts";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const base: ProviderRequest = {
  model: "qwen2.5-coder:1.5b",
  system: "s",
  messages: [{ role: "user", content: [{ type: "text", text: "ping" }] }],
  tools: [],
};

describe("numCtxOf", () => {
  it("sizes num_ctx from the request's budget, an explicit numCtx winning, none without either", () => {
    const budget = { promptTokens: 3000, outputReserve: 1024, contextWindow: 32_768 };
    expect(numCtxOf({ ...base, contextBudget: budget })).toBe(numCtxFor(3000, 1024, 32_768));
    expect(numCtxOf({ ...base, contextBudget: budget })).toBe(8192); // 3000 / 0.75 + 1024 = 5024
    expect(numCtxOf({ ...base, contextBudget: { ...budget, contextWindow: 4096 } })).toBe(4096);
    expect(numCtxOf({ ...base, contextBudget: budget, numCtx: 5120 })).toBe(5120);
    expect(numCtxOf(base)).toBeUndefined();
    expect(() => numCtxFor(-1, 0)).toThrow(RangeError);
  });

  it("the Ollama provider sends the num_ctx its request's budget asks for", async () => {
    server = await startFakeOllama({ reply: "pong" });
    const provider = createOllamaProvider({ baseURL: server.origin });
    const budget = { promptTokens: 3000, outputReserve: 1024, contextWindow: 32_768 };
    for await (const _ of provider.stream({ ...base, contextBudget: budget })) {
      // drain
    }
    const chat = server.requests.find((r) => r.path === "/api/chat")!.body as {
      options?: { num_ctx?: number };
    };
    expect(chat.options?.num_ctx).toBe(8192);
  });
});
