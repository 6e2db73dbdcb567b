import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../test/support/engine-harness.ts";
import { type ScriptedServer, startScriptedServer } from "../../test/support/scripted-server.ts";
import { createProvider } from "../provider/factory.ts";
import { type ArmSpec, buildArms } from "./arm.ts";
import { Router } from "./router.ts";

/**
 * The router driving the real engine against two scripted OpenAI-compatible endpoints: a failure before
 * any content fails over (with a `failover` event); a failure after content is reported, not failed over.
 */

let harness: Harness | undefined;
let broken: ScriptedServer | undefined;
afterEach(async () => {
  await harness?.close();
  await broken?.close();
  harness = undefined;
  broken = undefined;
});

async function setup(brokenReply: Parameters<typeof startScriptedServer>[0]) {
  broken = await startScriptedServer(brokenReply);
  const good = await startScriptedServer([{ text: "All fixed." }]);
  const specs: ArmSpec[] = [
    // The free arm with a strength wins the first pick; the priced one is the fallback.
    {
      id: "first",
      provider: "openai-compatible",
      model: "scripted-model",
      baseURL: broken.baseURL,
      local: false,
      toolUse: true,
      strengths: ["debug"],
      costWeight: 1,
    },
    {
      id: "second",
      provider: "openai-compatible",
      model: "scripted-model",
      baseURL: good.baseURL,
      local: false,
      toolUse: true,
      strengths: [],
      costWeight: 3,
      priceInputPerMTok: 1000,
      priceOutputPerMTok: 1000,
    },
  ];
  const arms = buildArms(specs, (s) => createProvider({ name: "openai-compatible", baseURL: s.baseURL! }));
  const router = new Router({ arms, seed: 1 });
  harness = await startHarness({ script: [{ text: "unused" }], engine: { routing: router } });
  return { router, good };
}

describe("Router in the engine", () => {
  it("fails over before content and succeeds, emitting a failover event", async () => {
    const { router, good } = await setup(() => ({ status: 500 }));
    const result = await harness!.engine.runTurn("Fix the crash in parser.ts");
    expect(result.status).toBe("success");
    expect(result.text).toBe("All fixed.");
    expect(result.arm).toBe("second");
    expect(harness!.events).toContainEqual(
      expect.objectContaining({ type: "failover", from: "first", to: "second" }),
    );
    expect(broken!.requests.length).toBeGreaterThan(0);
    expect(good.requests).toHaveLength(1);
    await good.close();
    const rows = router.stats().rows;
    expect(rows).toContainEqual(
      expect.objectContaining({ arm: "first", taskType: "debug", observations: 1, successes: 0 }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ arm: "second", taskType: "debug", observations: 1, successes: 1 }),
    );
  });

  it("reports an error after content was streamed instead of failing over", async () => {
    const { good } = await setup(() => ({
      text: ["Looking at", " the parser", " now and"],
      dropAfterChunks: 3,
      chunkDelayMs: 5,
    }));
    const result = await harness!.engine.runTurn("Fix the crash in parser.ts");
    expect(result.status).toBe("provider_error");
    expect(harness!.events.some((e) => e.type === "failover")).toBe(false);
    expect(good.requests).toHaveLength(0);
    await good.close();
  });
});
