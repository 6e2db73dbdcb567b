import { readFileSync } from "node:fs";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import type { StreamEvent } from "../../stream/events.ts";
import { ProviderError } from "../errors.ts";
import { fromV4Stream, toStopReason } from "./from-stream.ts";

const FIXTURES = new URL("../../../test/fixtures/sse/", import.meta.url);

/**
 * Replays a recorded SSE capture as an HTTP response body, cut into `pieceSize`-byte network chunks so
 * SSE events straddle chunk boundaries as they do on a real socket.
 */
function replay(fixture: string, pieceSize = 37): typeof fetch {
  const bytes = readFileSync(new URL(fixture, FIXTURES));
  return async () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += pieceSize)
            controller.enqueue(new Uint8Array(bytes.subarray(i, i + pieceSize)));
          controller.close();
        },
      }),
      { status: 200, headers: { "content-type": "text/event-stream" } },
    );
}

/** Runs a fixture through the real @ai-sdk/openai-compatible model's doStream and fromV4Stream. */
async function eventsFor(fixture: string, pieceSize?: number): Promise<StreamEvent[]> {
  const provider = createOpenAICompatible({
    name: "fixture",
    baseURL: "http://fixture.test/v1",
    includeUsage: true,
    fetch: replay(fixture, pieceSize),
  });
  const { stream } = await provider
    .chatModel("m")
    .doStream({ prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] });
  const out: StreamEvent[] = [];
  for await (const ev of fromV4Stream(stream, "openai-compatible")) out.push(ev);
  return out;
}

describe("fromV4Stream over recorded OpenAI SSE captures", () => {
  it("text answer: deltas, usage, finish end_turn with the response model", async () => {
    const events = await eventsFor("text-answer.sse");
    expect(events).toEqual([
      { type: "text_delta", text: "The" },
      { type: "text_delta", text: " answer" },
      { type: "text_delta", text: " is 42." },
      { type: "usage", usage: { inputTokens: 25, outputTokens: 6, cacheReadTokens: 0 } },
      { type: "finish", stopReason: "end_turn", model: "gpt-4o-mini-2024-07-18" },
    ]);
  });

  it("is independent of how the bytes are chunked on the wire", async () => {
    const a = await eventsFor("parallel-tool-calls.sse", 1);
    const b = await eventsFor("parallel-tool-calls.sse", 4096);
    expect(a).toEqual(b);
  });

  it("fragmented tool call: start, argument deltas, done with the full arguments, tool_use", async () => {
    const events = await eventsFor("tool-call-fragmented.sse");
    expect(events[0]).toEqual({ type: "tool_call_start", id: "call_8fKx2mQ1", name: "read_file" });
    const deltas = events.filter((e) => e.type === "tool_call_delta");
    expect(deltas.length).toBeGreaterThanOrEqual(1);
    expect(deltas.map((d) => (d as { delta: string }).delta).join("")).toBe('{"path":"src/main.ts"}');
    expect(events.filter((e) => e.type === "tool_call_done")).toEqual([
      { type: "tool_call_done", id: "call_8fKx2mQ1", name: "read_file", arguments: '{"path":"src/main.ts"}' },
    ]);
    expect(events.at(-2)).toEqual({
      type: "usage",
      usage: { inputTokens: 88, outputTokens: 17, cacheReadTokens: 64 },
    });
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "tool_use" });
  });

  it("two parallel tool calls: each start → deltas → done in order", async () => {
    const events = await eventsFor("parallel-tool-calls.sse");
    const done = events.filter((e) => e.type === "tool_call_done");
    expect(done).toEqual([
      { type: "tool_call_done", id: "call_A1b2C3", name: "get_weather", arguments: '{"city": "Paris"}' },
      { type: "tool_call_done", id: "call_D4e5F6", name: "get_weather", arguments: '{"city": "Tokyo"}' },
    ]);
    for (const id of ["call_A1b2C3", "call_D4e5F6"]) {
      const mine = events.filter((e) => "id" in e && e.id === id).map((e) => e.type);
      expect(mine[0]).toBe("tool_call_start");
      expect(mine.at(-1)).toBe("tool_call_done");
      expect(mine.filter((t) => t === "tool_call_start")).toHaveLength(1);
      const args = events
        .filter(
          (e): e is Extract<StreamEvent, { type: "tool_call_delta" }> =>
            e.type === "tool_call_delta" && e.id === id,
        )
        .map((e) => e.delta)
        .join("");
      expect(args).toBe(done.find((d) => "id" in d && d.id === id && d.type === "tool_call_done")!.arguments);
    }
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "tool_use" });
  });

  it("length finish → max_tokens", async () => {
    const events = await eventsFor("length-finish.sse");
    expect(
      events
        .filter((e) => e.type === "text_delta")
        .map((e) => (e as { text: string }).text)
        .join(""),
    ).toBe("Once upon a time");
    expect(events.at(-1)).toMatchObject({ type: "finish", stopReason: "max_tokens" });
    expect(events.at(-2)).toEqual({
      type: "usage",
      usage: { inputTokens: 14, outputTokens: 4, cacheReadTokens: 0 },
    });
  });

  it("llama.cpp reasoning_content → reasoning deltas before the text", async () => {
    const events = await eventsFor("llamacpp-reasoning.sse");
    expect(events).toEqual([
      { type: "reasoning_delta", text: "The user wants" },
      { type: "reasoning_delta", text: " a greeting." },
      { type: "text_delta", text: "Hello!" },
      // @ai-sdk/openai-compatible reports cacheRead 0 when the server sends no cached_tokens.
      { type: "usage", usage: { inputTokens: 31, outputTokens: 12, cacheReadTokens: 0 } },
      { type: "finish", stopReason: "end_turn", model: "qwen3-4b-q4_k_m.gguf" },
    ]);
  });

  it("an error chunk mid-stream throws a ProviderError after the partial text", async () => {
    const provider = createOpenAICompatible({
      name: "f",
      baseURL: "http://fixture.test/v1",
      fetch: replay("midstream-error.sse"),
    });
    const { stream } = await provider
      .chatModel("m")
      .doStream({ prompt: [{ role: "user", content: [{ type: "text", text: "x" }] }] });
    const seen: StreamEvent[] = [];
    const run = async () => {
      for await (const ev of fromV4Stream(stream, "openai")) seen.push(ev);
    };
    const err = await run().catch((e: unknown) => e);
    expect(seen).toEqual([{ type: "text_delta", text: "Partial" }]);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: "transient", retryable: true, provider: "openai" });
    expect((err as ProviderError).message).toContain("The server had an error");
  });
});

/** Builds a V4 stream from parts (for provider shapes the OpenAI-compatible model never emits). */
function partsStream(parts: LanguageModelV4StreamPart[]): ReadableStream<LanguageModelV4StreamPart> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
}

const usage = (
  input?: number,
  output?: number,
  cacheRead?: number,
  cacheWrite?: number,
): LanguageModelV4Usage => ({
  inputTokens: { total: input, noCache: undefined, cacheRead, cacheWrite },
  outputTokens: { total: output, text: undefined, reasoning: undefined },
});

async function collect(parts: LanguageModelV4StreamPart[]): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const ev of fromV4Stream(partsStream(parts), "anthropic")) out.push(ev);
  return out;
}

describe("fromV4Stream over synthetic V4 parts", () => {
  it("emits a tool_call_start before a tool-call that had no input-start (Google style) and forces tool_use", async () => {
    const events = await collect([
      { type: "tool-call", toolCallId: "g1", toolName: "ls", input: '{"dir":"."}' },
      { type: "finish", finishReason: { unified: "stop", raw: "STOP" }, usage: usage(10, 5) },
    ]);
    expect(events).toEqual([
      { type: "tool_call_start", id: "g1", name: "ls" },
      { type: "tool_call_done", id: "g1", name: "ls", arguments: '{"dir":"."}' },
      { type: "usage", usage: { inputTokens: 10, outputTokens: 5 } },
      { type: "finish", stopReason: "tool_use" },
    ]);
  });

  it("carries Anthropic thinking signatures and cache read/write tokens", async () => {
    const events = await collect([
      { type: "reasoning-start", id: "0" },
      { type: "reasoning-delta", id: "0", delta: "hmm" },
      {
        type: "reasoning-delta",
        id: "0",
        delta: "",
        providerMetadata: { anthropic: { signature: "sig-1" } },
      },
      { type: "reasoning-end", id: "0" },
      { type: "finish", finishReason: { unified: "stop", raw: "end_turn" }, usage: usage(100, 20, 80, 10) },
    ]);
    expect(events).toEqual([
      { type: "reasoning_delta", text: "hmm" },
      { type: "reasoning_delta", text: "", signature: "sig-1" },
      {
        type: "usage",
        usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 80, cacheWriteTokens: 10 },
      },
      { type: "finish", stopReason: "end_turn" },
    ]);
  });

  it("omits usage when the server reported none", async () => {
    const events = await collect([
      { type: "finish", finishReason: { unified: "stop", raw: undefined }, usage: usage() },
    ]);
    expect(events).toEqual([{ type: "finish", stopReason: "end_turn" }]);
  });

  it("throws a transient ProviderError for an interrupted finish", async () => {
    const err = await collect([
      { type: "text-delta", id: "t", delta: "cut" },
      { type: "finish", finishReason: { unified: "interrupted", raw: undefined }, usage: usage() },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: "transient", retryable: true });
  });

  it("an error part it cannot classify (a bare string, a schema error) still throws a transient ProviderError", async () => {
    for (const value of ["model runner crashed", new Error("Invalid input: expected string")]) {
      const err = await collect([
        { type: "text-delta", id: "t", delta: "par" },
        { type: "error", error: value },
      ]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ kind: "transient", retryable: true });
      expect((err as ProviderError).message).toContain(typeof value === "string" ? value : value.message);
    }
  });

  it("throws a transient ProviderError for an error finish (Gemini MALFORMED_FUNCTION_CALL), naming the reason", async () => {
    const err = await collect([
      { type: "finish", finishReason: { unified: "error", raw: "MALFORMED_FUNCTION_CALL" }, usage: usage() },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: "transient", retryable: true });
    expect((err as ProviderError).message).toContain("MALFORMED_FUNCTION_CALL");
  });

  it("throws a transient ProviderError when the stream ends with no finish part", async () => {
    for (const parts of [
      [],
      [{ type: "text-delta", id: "t", delta: "cut" }],
    ] as LanguageModelV4StreamPart[][]) {
      const err = await collect(parts).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ kind: "transient", retryable: true });
    }
  });

  it("throws when the underlying stream errors (socket reset)", async () => {
    const reset = new TypeError("terminated", {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      pull(c) {
        c.error(reset);
      },
    });
    const err = await (async () => {
      for await (const _ of fromV4Stream(stream, "openai")) {
        /* drain */
      }
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "transient", retryable: true, provider: "openai" });
  });
});

describe("toStopReason", () => {
  it.each([
    ["stop", false, "end_turn"],
    ["length", false, "max_tokens"],
    ["tool-calls", false, "tool_use"],
    ["content-filter", false, "end_turn"],
    ["other", false, "end_turn"],
    ["stop", true, "tool_use"],
    ["length", true, "max_tokens"],
  ] as const)("%s (tool calls seen: %s) → %s", (reason, saw, expected) => {
    expect(toStopReason(reason, saw)).toBe(expected);
  });
});
