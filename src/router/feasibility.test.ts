import { describe, expect, it } from "vitest";
import { type FeasibilityContext, infeasibilityReasons, isFeasible } from "./feasibility.ts";
import { testArm } from "./test-helpers.ts";

const ctx: FeasibilityContext = {
  complexity: 0.5,
  requiresTools: true,
  estimatedPromptTokens: 10_000,
  localOnly: false,
  backoffMs: 0,
};

describe("infeasibilityReasons", () => {
  it("accepts a capable arm", () => {
    expect(infeasibilityReasons(testArm({ id: "a", contextWindow: 128_000 }), ctx)).toEqual([]);
  });

  it.each([
    ["tools required but unsupported", { toolUse: false }, {}, /needs tools/],
    [
      "prompt larger than the window",
      { contextWindow: 8_192 },
      {},
      /does not fit the 8192-token context window/,
    ],
    [
      "complexity above the ceiling",
      { maxComplexity: 0.3 },
      {},
      /complexity 0.50 above the arm's ceiling 0.3/,
    ],
    ["in backoff", {}, { backoffMs: 12_000 }, /in backoff for 12 s/],
    [
      "limits exhausted",
      {},
      { poolRefusal: { kind: "rpm" as const, limit: 5, retryAfterMs: 30_000 } },
      /rpm limit of 5 reached/,
    ],
    ["disabled", { disabled: true }, {}, /disabled/],
    ["cloud under local-only", {}, { localOnly: true }, /local-only/],
  ])("excludes: %s", (_name, arm, extra, reason) => {
    const reasons = infeasibilityReasons(testArm({ id: "a", ...arm }), { ...ctx, ...extra });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(reason);
  });

  it("keeps a no-tool arm when the turn needs no tools, and a local arm under local-only", () => {
    expect(
      isFeasible(testArm({ id: "a", toolUse: false, local: true }), {
        ...ctx,
        requiresTools: false,
        localOnly: true,
      }),
    ).toBe(true);
  });

  it("lists every reason at once", () => {
    const reasons = infeasibilityReasons(
      testArm({ id: "a", toolUse: false, maxComplexity: 0.1, contextWindow: 4096 }),
      ctx,
    );
    expect(reasons).toHaveLength(3);
  });

  it("allows a disabled arm when asked (forced arms)", () => {
    expect(isFeasible(testArm({ id: "a", disabled: true }), { ...ctx, allowDisabled: true })).toBe(true);
  });
});
