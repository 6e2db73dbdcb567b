import { describe, expect, it } from "vitest";
import type { Provider, ProviderRequest } from "../../provider/types.ts";
import type { StreamEvent } from "../../stream/events.ts";
import { CLASSIFY_TOOL, parseSlmAnswer, SlmClassifier } from "./slm.ts";

function provider(
  events: StreamEvent[] | ((signal?: AbortSignal) => AsyncIterable<StreamEvent>),
  seen: ProviderRequest[] = [],
): Provider {
  return {
    name: "embedded",
    stream(req) {
      seen.push(req);
      if (typeof events === "function") return events(req.signal);
      return (async function* () {
        for (const e of events) yield e;
      })();
    },
  };
}

const call = (args: string): StreamEvent[] => [
  { type: "tool_call_start", id: "1", name: "classify" },
  { type: "tool_call_done", id: "1", name: "classify", arguments: args },
  { type: "finish", stopReason: "tool_use" },
];

describe("SlmClassifier", () => {
  it("sends one forced classify tool and overlays the answer on the heuristic", async () => {
    const seen: ProviderRequest[] = [];
    const c = new SlmClassifier({
      provider: provider(
        call('{"task_type":"security_review","complexity":0.8,"requires_tools":true}'),
        seen,
      ),
      model: "m",
    });
    const t = await c.classify("Fix the login form");
    expect(t).toMatchObject({
      type: "security_review",
      complexity: 0.8,
      requiresTools: true,
      source: "slm",
      priority: "normal",
    });
    expect(seen[0]!.tools).toEqual([CLASSIFY_TOOL]);
    expect(seen[0]!.toolChoice).toBe("required");
    expect(seen[0]!.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Fix the login form" }] },
    ]);
  });

  it("accepts a JSON text reply", async () => {
    const c = new SlmClassifier({
      provider: provider([
        {
          type: "text_delta",
          text: 'Sure: {"task_type": "Explain", "complexity": 0.1, "requires_tools": false}',
        },
        { type: "finish", stopReason: "end_turn" },
      ]),
      model: "m",
    });
    expect(await c.classify("what is a monad")).toMatchObject({ type: "explain", source: "slm" });
  });

  it("falls back to the heuristic on an unusable answer", async () => {
    const c = new SlmClassifier({
      provider: provider(call('{"task_type":"poetry","complexity":2,"requires_tools":true}')),
      model: "m",
    });
    const t = await c.classify("Fix the crash in main.ts");
    expect(t).toMatchObject({ type: "debug", source: "slm_fallback" });
    expect(t.reason).toMatch(/unusable/);
  });

  it("falls back on a provider error", async () => {
    const failing = provider(async function* () {
      yield* [];
      throw new Error("connection refused");
    });
    expect(
      await new SlmClassifier({ provider: failing, model: "m" }).classify("write tests for x"),
    ).toMatchObject({ type: "unit_test", source: "slm_fallback" });
  });

  it("times out (and aborts the request) after the limit", async () => {
    let aborted = false;
    const slow = provider(async function* (signal?: AbortSignal) {
      await new Promise<void>((resolve) => {
        signal?.addEventListener("abort", () => {
          aborted = true;
          resolve();
        });
      });
      yield* call('{"task_type":"debug","complexity":0.5,"requires_tools":true}');
    });
    const started = Date.now();
    const t = await new SlmClassifier({ provider: slow, model: "m", timeoutMs: 50 }).classify(
      "explain closures",
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(t).toMatchObject({ type: "explain", source: "slm_fallback" });
    expect(t.reason).toMatch(/timed out after 50 ms/);
    expect(aborted).toBe(true);
  });
});

describe("parseSlmAnswer", () => {
  it("clamps complexity and parses loose type names", () => {
    expect(parseSlmAnswer('{"task_type":"UnitTest","complexity":-1,"requires_tools":false}')).toEqual({
      type: "unit_test",
      complexity: 0,
      requiresTools: false,
    });
  });
  it.each([
    "",
    "nope",
    '{"task_type":"debug"}',
    '{"task_type":"debug","complexity":"high","requires_tools":true}',
  ])("rejects %j", (s) => {
    expect(parseSlmAnswer(s)).toBeUndefined();
  });
});
