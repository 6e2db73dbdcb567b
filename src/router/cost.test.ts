import { describe, expect, it } from "vitest";
import { armScore, effectiveCost } from "./cost.ts";

describe("effectiveCost", () => {
  it("is 1 for a free arm and grows with price relative to task value", () => {
    expect(effectiveCost({ costUSD: 0, value: 1, costWeight: 1, scarcity: 1 })).toBe(1);
    expect(effectiveCost({ costUSD: 1, value: 1, costWeight: 1, scarcity: 1 })).toBe(2);
    expect(effectiveCost({ costUSD: 1, value: 2, costWeight: 1, scarcity: 1 })).toBe(1.5);
  });

  it("is dampened by cost weight and multiplied by scarcity", () => {
    expect(effectiveCost({ costUSD: 1, value: 1, costWeight: 0, scarcity: 1 })).toBe(1);
    expect(effectiveCost({ costUSD: 1, value: 1, costWeight: 2, scarcity: 1 })).toBe(4);
    expect(effectiveCost({ costUSD: 0, value: 1, costWeight: 0, scarcity: 3 })).toBe(3);
    expect(effectiveCost({ costUSD: 0, value: 1, costWeight: 1, scarcity: Number.POSITIVE_INFINITY })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it("scores value × θ / cost", () => {
    expect(
      armScore(0.8, { costUSD: 0.05, value: 1.5, costWeight: 1, scarcity: 1, referenceUSD: 0.05 }),
    ).toBeCloseTo((1.5 * 0.8) / (1 + 1 / 1.5));
  });
});
