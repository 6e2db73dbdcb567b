import { describe, expect, it, vi } from "vitest";
import type { ArmHandle, TurnRouteRequest } from "../engine/routing.ts";
import { ProviderError } from "../provider/errors.ts";
import { mulberry32 } from "./prng.ts";
import { Router, type RouterOptions } from "./router.ts";
import type { Classifier, Task, TaskType } from "./task.ts";
import { testArm } from "./test-helpers.ts";

/** A classifier that reads the task type from the prompt's first word ("debug: ..."). */
function typedClassifier(): Classifier & { calls: number } {
  const c = {
    calls: 0,
    async classify(prompt: string): Promise<Task> {
      c.calls++;
      const type = prompt.split(":")[0] as TaskType;
      return {
        type,
        complexity: 0.5,
        requiresTools: true,
        priority: "normal",
        source: "heuristic",
        reason: "test",
      };
    },
  };
  return c;
}

const req = (prompt: string, estimatedPromptTokens = 2_000): TurnRouteRequest => ({
  prompt,
  estimatedPromptTokens,
  requiresTools: true,
});
const usage = { inputTokens: 1_000, outputTokens: 200 };

function router(opts: Partial<RouterOptions> & Pick<RouterOptions, "arms">): Router {
  return new Router({ seed: 1, classifier: typedClassifier(), ...opts });
}

/** Runs `n` simulated turns; `p(armId, step)` is the true success probability. Returns the chosen arm ids. */
async function simulate(
  r: Router,
  type: TaskType,
  n: number,
  p: (arm: string, step: number) => number,
  from = 0,
  seed = 5,
  turnUsage = usage,
) {
  const rand = mulberry32(seed);
  const picks: string[] = [];
  for (let t = from; t < from + n; t++) {
    const route = await r.selectForTurn(req(`${type}: task ${t}`));
    r.reportTurn({
      arm: route.arm,
      taskType: route.taskType,
      success: rand() < p(route.arm.id, t),
      usage: turnUsage,
      durationMs: 1000,
    });
    picks.push(route.arm.id);
  }
  return picks;
}

const share = (picks: string[], id: string) => picks.filter((x) => x === id).length / picks.length;

describe("Router selection", () => {
  it("a forced arm wins over better arms", async () => {
    const r = router({
      arms: [testArm({ id: "a" }), testArm({ id: "pinned", forced: true, toolUse: false, disabled: true })],
    });
    const route = await r.selectForTurn(req("debug: x"));
    expect(route.arm.id).toBe("pinned");
    expect(route.reason).toMatch(/forced/);
  });

  it("a forced cloud arm under local-only is an error; a forced local arm is fine", async () => {
    const cloud = router({
      localOnly: true,
      arms: [testArm({ id: "local", local: true }), testArm({ id: "cloud", forced: true })],
    });
    await expect(cloud.selectForTurn(req("debug: x"))).rejects.toThrow(
      /forced arm cloud is a cloud model and local-only/,
    );
    const local = router({ localOnly: true, arms: [testArm({ id: "l", local: true, forced: true })] });
    expect((await local.selectForTurn(req("debug: x"))).arm.id).toBe("l");
  });

  it("local-only never picks a cloud arm", async () => {
    const r = router({
      localOnly: true,
      arms: [testArm({ id: "cloud", strengths: ["debug"] }), testArm({ id: "local", local: true })],
    });
    const picks = await simulate(r, "debug", 30, () => 0.5);
    expect(new Set(picks)).toEqual(new Set(["local"]));
  });

  it("explains every exclusion when no arm is feasible", async () => {
    const r = router({
      arms: [testArm({ id: "small", contextWindow: 4_096 }), testArm({ id: "off", disabled: true })],
    });
    const err = await r.selectForTurn(req("debug: x", 50_000)).catch((e: Error) => e);
    expect(String(err)).toMatch(/no model arm can take this turn/);
    expect(String(err)).toMatch(/small: prompt of ~50000 tokens/);
    expect(String(err)).toMatch(/off: disabled/);
  });

  it("converges to the best arm in simulation (seeded)", async () => {
    const probs: Record<string, number> = { a: 0.35, b: 0.55, c: 0.85 };
    const r = router({ arms: ["a", "b", "c"].map((id) => testArm({ id })) });
    const picks = await simulate(r, "refactor", 400, (id) => probs[id]!);
    expect(new Set(picks.slice(0, 40)).size).toBe(3);
    expect(share(picks.slice(-150), "c")).toBeGreaterThan(0.8);
  });

  it("reacts to drift", async () => {
    const r = router({ arms: ["a", "b"].map((id) => testArm({ id })) });
    const p = (id: string, t: number) =>
      (t < 300 ? { a: 0.85, b: 0.4 } : { a: 0.3, b: 0.85 })[id as "a" | "b"];
    const before = await simulate(r, "debug", 300, p);
    expect(share(before.slice(-100), "a")).toBeGreaterThan(0.8);
    const after = await simulate(r, "debug", 300, p, 300);
    expect(share(after.slice(-100), "b")).toBeGreaterThan(0.8);
  });

  it("is reproducible under a seed", async () => {
    const run = async (seed: number) => {
      const r = new Router({
        seed,
        classifier: typedClassifier(),
        arms: ["a", "b", "c"].map((id) => testArm({ id })),
      });
      return simulate(r, "debug", 60, () => 0.5);
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });

  it("prefers the cheaper of two equally good arms, and the better when the task is worth it", async () => {
    const arms = [
      testArm({ id: "cheap", priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 }),
      testArm({ id: "pricey", priceInputPerMTok: 15, priceOutputPerMTok: 75 }),
    ];
    // a 50k-token turn: $0.03 on the cheap arm, $1.13 on the pricey one
    const big = { inputTokens: 50_000, outputTokens: 5_000 };
    const same = await simulate(router({ arms }), "explain", 200, () => 0.8, 0, 5, big);
    expect(share(same.slice(-100), "cheap")).toBeGreaterThan(0.9);
    // free cost weight: price ignored, quality decides
    const noCost = arms.map((a) => ({ ...a, costWeight: 0 }));
    const better = await simulate(
      router({ arms: noCost }),
      "explain",
      300,
      (id) => (id === "pricey" ? 0.95 : 0.4),
      0,
      5,
      big,
    );
    expect(share(better.slice(-100), "pricey")).toBeGreaterThan(0.8);
  });

  it("classifies once per turn and keeps the arm for every round", async () => {
    const classifier = typedClassifier();
    const r = new Router({ seed: 3, classifier, arms: ["a", "b", "c"].map((id) => testArm({ id })) });
    const route = await r.selectForTurn(req("debug: go"));
    for (let i = 0; i < 6; i++) {
      r.beginRound(route.arm, 1_000 * (i + 1));
      r.reportRound({ arm: route.arm, usage, ttftMs: 100, durationMs: 1_000 });
    }
    r.reportTurn({ arm: route.arm, taskType: route.taskType, success: true, usage, durationMs: 6_000 });
    expect(classifier.calls).toBe(1);
    expect(r.stats().rows).toEqual([
      expect.objectContaining({ arm: route.arm.id, taskType: "debug", observations: 1, successes: 1 }),
    ]);
  });
});

describe("Router failover, backoff and pools", () => {
  it("fails over to the best remaining arm by posterior mean, never to excluded ones", async () => {
    const arms = ["a", "b", "c", "d"].map((id) => testArm({ id }));
    const r = router({ arms });
    const probs: Record<string, number> = { a: 0.9, b: 0.7, c: 0.5, d: 0.2 };
    await simulate(r, "debug", 300, (id) => probs[id]!);
    const route = await r.selectForTurn(req("debug: now"));
    const first = arms.find((a) => a.id === "a")!.handle;
    const boom = new ProviderError({
      kind: "transient",
      provider: "openai",
      message: "HTTP 500",
      statusCode: 500,
      retryable: true,
    });
    const next = await r.failover(first, boom, ["a"]);
    expect(next?.arm.id).toBe("b");
    expect(next?.reason).toMatch(/failover from a/);
    const third = await r.failover(next!.arm, boom, ["a", "b"]);
    expect(third?.arm.id).toBe("c");
    expect(await r.failover(arms[3]!.handle, boom, ["a", "b", "c", "d"])).toBeUndefined();
    expect(route.taskType).toBe("debug");
  });

  it("counts a provider failure against the failed arm, but not a rate limit", async () => {
    const arms = ["a", "b"].map((id) => testArm({ id }));
    const r = router({ arms });
    await r.selectForTurn(req("debug: x"));
    await r.failover(
      arms[0]!.handle,
      new ProviderError({ kind: "unreachable", provider: "openai", message: "refused", retryable: false }),
      [],
    );
    await r.selectForTurn(req("debug: y"));
    await r.failover(arms[1]!.handle, { statusCode: 429 }, []);
    const rows = r.stats().rows;
    expect(rows).toEqual([expect.objectContaining({ arm: "a", observations: 1, successes: 0 })]);
  });

  it("does not fail over away from a forced arm", async () => {
    const arms = [testArm({ id: "f", forced: true }), testArm({ id: "b" })];
    const r = router({ arms });
    await r.selectForTurn(req("debug: x"));
    expect(await r.failover(arms[0]!.handle, new Error("x"), ["f"])).toBeUndefined();
  });

  it("a 429 puts the arm in backoff until Retry-After passes", async () => {
    let t = 1_000_000;
    const arms = [testArm({ id: "a", strengths: ["debug"] }), testArm({ id: "b", contextWindow: 100_000 })];
    const r = router({ arms, now: () => t });
    r.reportRoundFailure(
      arms[0]!.handle,
      new ProviderError({
        kind: "transient",
        provider: "openai",
        message: "slow down",
        statusCode: 429,
        retryable: true,
        retryAfterMs: 20_000,
      }),
    );
    expect(r.backoffMs("a")).toBe(20_000);
    const during = await Promise.all(Array.from({ length: 10 }, () => r.selectForTurn(req("debug: x"))));
    expect(new Set(during.map((x) => x.arm.id))).toEqual(new Set(["b"]));
    t += 20_000;
    const after = await Promise.all(Array.from({ length: 20 }, () => r.selectForTurn(req("debug: x"))));
    expect(after.some((x) => x.arm.id === "a")).toBe(true);
  });

  it("beginRound reserves per request, commits on success, rolls back on failure, and refuses when exhausted", async () => {
    const t = 5_000_000;
    const arm = testArm({ id: "a", limits: { rpm: 2 } });
    const other = testArm({ id: "b" });
    const r = router({ arms: [arm, other], now: () => t });
    const h: ArmHandle = arm.handle;
    r.beginRound(h, 10_000);
    r.reportRoundFailure(h, new Error("socket reset")); // rolled back: still 2 left
    r.beginRound(h, 10_000);
    r.reportRound({ arm: h, usage, durationMs: 10 });
    r.beginRound(h, 10_000);
    r.reportRound({ arm: h, usage, durationMs: 10 });
    let thrown: unknown;
    try {
      r.beginRound(h, 10);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ statusCode: 429, kind: "transient", retryAfterMs: 60_000 });
    expect(String((thrown as Error).message)).toMatch(/rpm limit of 2 reached/);
    // the engine reports the failure: the arm backs off for the window and is infeasible meanwhile
    r.reportRoundFailure(h, thrown);
    const picks = await Promise.all(Array.from({ length: 10 }, () => r.selectForTurn(req("debug: x"))));
    expect(new Set(picks.map((p) => p.arm.id))).toEqual(new Set(["b"]));
    // a limit refusal is not held against the arm's quality
    await r.failover(h, thrown, ["a"]);
    expect(r.stats().rows).toEqual([]);
  });

  it("falls back to the heuristic when the classifier throws", async () => {
    const bad: Classifier = { classify: vi.fn(async () => Promise.reject(new Error("x"))) };
    const r = new Router({ seed: 1, classifier: bad, arms: [testArm({ id: "a" })] });
    const route = await r.selectForTurn(req("Fix the crash in main.ts"));
    expect(route).toMatchObject({ taskType: "debug", classifier: "heuristic" });
  });

  it("rejects an empty or duplicate arm list with a clear message", () => {
    expect(() => new Router({ arms: [] })).toThrow(/no model arms configured/);
    expect(() => new Router({ arms: [testArm({ id: "a" }), testArm({ id: "a" })] })).toThrow(
      /share the id "a"/,
    );
  });
});

describe("Router state", () => {
  it("snapshot → new Router restores learned state, perf and day pools", async () => {
    const t = 9_000_000;
    const arms = [testArm({ id: "a", limits: { rpd: 100 } }), testArm({ id: "b" })];
    const r1 = router({ arms, now: () => t });
    await simulate(r1, "debug", 50, (id) => (id === "a" ? 0.9 : 0.2));
    r1.beginRound(arms[0]!.handle, 100);
    r1.reportRound({ arm: arms[0]!.handle, usage, ttftMs: 250, durationMs: 2_000 });
    const snap = r1.snapshot();
    const r2 = router({ arms, now: () => t, state: JSON.parse(JSON.stringify(snap)) });
    expect(r2.stats()).toEqual(r1.stats());
    expect(r2.snapshot().pools.a![0]!.used).toBe(1);
    expect(r2.stats().rows.find((x) => x.arm === "a")?.ttftMs).toBe(250);
  });
});
