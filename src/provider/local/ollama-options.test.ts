import type { LanguageModelV4CallOptions, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { createOllama } from "ollama-ai-provider-v2";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeOllama } from "../../../test/support/fake-local-servers.ts";
import { ollamaOptionsFor, withOllamaOptions } from "./ollama-options.ts";

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const prompt: LanguageModelV4CallOptions["prompt"] = [
  { role: "system", content: "be brief" },
  { role: "user", content: [{ type: "text", text: "hi" }] },
];

async function drain(
  stream: ReadableStream<LanguageModelV4StreamPart>,
): Promise<LanguageModelV4StreamPart[]> {
  const parts: LanguageModelV4StreamPart[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return parts;
    parts.push(value);
  }
}

describe("ollamaOptionsFor", () => {
  it("maps numCtx, output budget, temperature and seed into Ollama's options", () => {
    expect(ollamaOptionsFor({ prompt, maxOutputTokens: 512, temperature: 0.2, seed: 7 }, 6144)).toEqual({
      num_ctx: 6144,
      num_predict: 512,
      temperature: 0.2,
      seed: 7,
    });
    expect(ollamaOptionsFor({ prompt }, undefined)).toEqual({});
  });
});

describe("withOllamaOptions against a fake Ollama /api/chat", () => {
  it("sends options.num_ctx (and num_predict) in the request body and streams the reply", async () => {
    server = await startFakeOllama({ reply: "pong!" });
    const model = withOllamaOptions(
      createOllama({ baseURL: `${server.origin}/api` })("qwen2.5-coder:1.5b"),
      6144,
    );
    const result = await model.doStream({ prompt, maxOutputTokens: 256, temperature: 0 });
    const parts = await drain(result.stream);

    const chat = server.requests.filter((r) => r.path === "/api/chat");
    expect(chat).toHaveLength(1);
    const body = chat[0]?.body as { model: string; stream: boolean; options: Record<string, unknown> };
    expect(body.model).toBe("qwen2.5-coder:1.5b");
    expect(body.stream).toBe(true);
    expect(body.options).toMatchObject({ num_ctx: 6144, num_predict: 256, temperature: 0 });

    const text = parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join("");
    expect(text).toBe("pong!");
    const finish = parts.find((p) => p.type === "finish");
    expect(finish).toBeDefined();
  });

  it("keeps caller-supplied Ollama options while the request's num_ctx wins", async () => {
    server = await startFakeOllama();
    const model = withOllamaOptions(createOllama({ baseURL: `${server.origin}/api` })("m"), 4096);
    const result = await model.doStream({
      prompt,
      providerOptions: { ollama: { think: false, options: { num_ctx: 999, top_k: 20 } } },
    });
    await drain(result.stream);
    const body = server.requests.find((r) => r.path === "/api/chat")?.body as {
      think?: boolean;
      options: Record<string, unknown>;
    };
    expect(body.options).toEqual({ num_ctx: 4096, top_k: 20 });
    expect(body.think).toBe(false);
  });
});
