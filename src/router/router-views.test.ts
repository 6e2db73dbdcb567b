import { describe, expect, it } from "vitest";
import { ProviderError } from "../provider/errors.ts";
import { Router } from "./router.ts";
import { testArm } from "./test-helpers.ts";

const usage = { inputTokens: 1000, outputTokens: 100 };
const req = (prompt: string) => ({ prompt, estimatedPromptTokens: 500, requiresTools: true });

describe("Router.forAgent (subagent views)", () => {
  it("parallel views share the pools: the rpm limit counts every view's requests, and each commits its own", async () => {
    const t = 7_000_000;
    const arm = testArm({ id: "a", limits: { rpm: 3 } });
    const r = new Router({ seed: 1, arms: [arm, testArm({ id: "b" })], now: () => t });
    const views = [r.forAgent({ armId: "a" }), r.forAgent({ armId: "a" }), r.forAgent({ armId: "a" })];
    const routes = await Promise.all(views.map((v) => v.selectForTurn(req("explain x"))));
    expect(routes.map((x) => x.arm.id)).toEqual(["a", "a", "a"]);
    // three rounds in flight at once, one per view: the fourth request (the router's own) is over the limit
    for (const v of views) v.beginRound!(arm.handle, 100);
    expect(() => r.beginRound(arm.handle, 100)).toThrow(ProviderError);
    // one view fails and rolls back only its own reservation: a slot frees; the others commit theirs
    views[1]!.reportRoundFailure!(arm.handle, new Error("reset"));
    views[0]!.reportRound!({ arm: arm.handle, usage, durationMs: 5 });
    views[2]!.reportRound!({ arm: arm.handle, usage, durationMs: 5 });
    r.beginRound(arm.handle, 100);
    expect(() => views[0]!.beginRound!(arm.handle, 100)).toThrow(/rpm limit of 3 reached/);
  });

  it("each view keeps its own turn: reports from one never end another's, and what they learn is shared", async () => {
    const a = testArm({ id: "a" });
    const b = testArm({ id: "b" });
    const r = new Router({ seed: 2, arms: [a, b] });
    const v1 = r.forAgent({ armId: "a" });
    const v2 = r.forAgent({ armId: "b" });
    await v1.selectForTurn(req("debug: x"));
    await v2.selectForTurn(req("debug: y"));
    v1.reportTurn!({ arm: a.handle, taskType: "debug", success: true, usage, durationMs: 10 });
    // v2's turn is still open: it can fail over (v1's report did not clear it)
    const next = await v2.failover(b.handle, new Error("boom"), []);
    expect(next?.arm.id).toBe("a");
    v2.reportTurn!({ arm: a.handle, taskType: "debug", success: true, usage, durationMs: 10 });
    const rows = r.stats().rows.filter((row) => row.taskType === "debug");
    expect(rows.find((row) => row.arm === "a")?.observations).toBe(2);
    expect(() => r.forAgent({ armId: "nope" })).toThrow(/no arm "nope"/);
  });
});
