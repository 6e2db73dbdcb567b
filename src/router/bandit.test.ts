import { describe, expect, it } from "vitest";
import { Bandit } from "./bandit.ts";
import { mulberry32 } from "./prng.ts";

/** Plays `steps` rounds of pure Thompson sampling over arms with success probabilities `p(step)`. */
function play(
  bandit: Bandit,
  rand: () => number,
  p: (step: number) => number[],
  steps: number,
  from = 0,
): number[] {
  const picks: number[] = [];
  for (let t = from; t < from + steps; t++) {
    const probs = p(t);
    let best = 0;
    let bestTheta = -1;
    probs.forEach((_, i) => {
      const theta = bandit.sample(`arm${i}`, "debug", false);
      if (theta > bestTheta) {
        bestTheta = theta;
        best = i;
      }
    });
    bandit.update(`arm${best}`, "debug", rand() < probs[best]!);
    picks.push(best);
  }
  return picks;
}

const share = (picks: number[], arm: number) => picks.filter((x) => x === arm).length / picks.length;

describe("Bandit (discounted Thompson sampling)", () => {
  it("explores every arm and converges to the best", () => {
    const bandit = new Bandit({ rand: mulberry32(1) });
    const picks = play(bandit, mulberry32(2), () => [0.3, 0.5, 0.85], 600);
    expect(new Set(picks.slice(0, 60)).size).toBe(3); // explored
    expect(share(picks.slice(-200), 2)).toBeGreaterThan(0.8); // converged
  });

  it("reacts to drift: the new best takes over within a few hundred steps", () => {
    const bandit = new Bandit({ rand: mulberry32(3) });
    const p = (t: number) => (t < 500 ? [0.3, 0.5, 0.85] : [0.3, 0.9, 0.25]);
    play(bandit, mulberry32(4), p, 500);
    const after = play(bandit, mulberry32(5), p, 400, 500);
    expect(share(after.slice(-150), 1)).toBeGreaterThan(0.7);
  });

  it("undiscounted (γ = 1) reacts to the same drift more slowly", () => {
    const run = (gamma: number) => {
      const bandit = new Bandit({ rand: mulberry32(3), gamma });
      const p = (t: number) => (t < 500 ? [0.3, 0.5, 0.85] : [0.3, 0.9, 0.25]);
      play(bandit, mulberry32(4), p, 500);
      return share(play(bandit, mulberry32(5), p, 200, 500), 1);
    };
    expect(run(0.97)).toBeGreaterThan(run(1) + 0.2);
  });

  it("is reproducible under a seed", () => {
    const run = (seed: number) =>
      play(new Bandit({ rand: mulberry32(seed) }), mulberry32(9), () => [0.4, 0.6, 0.5], 200);
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it("discounts every arm of the task type on each observation and counts raw outcomes", () => {
    const b = new Bandit({ rand: mulberry32(1), gamma: 0.5 });
    b.update("a", "debug", true);
    b.update("b", "debug", false);
    b.update("a", "explain", true);
    expect(b.cell("a", "debug")).toMatchObject({ s: 0.5, f: 0, n: 1, wins: 1 });
    expect(b.cell("b", "debug")).toMatchObject({ s: 0, f: 1, n: 1, wins: 0 });
    expect(b.cell("a", "explain")).toMatchObject({ s: 1 });
  });

  it("gives strengths a prior bonus that evidence outweighs", () => {
    const b = new Bandit({ rand: mulberry32(1), gamma: 1 });
    expect(b.mean("a", "debug", true)).toBeCloseTo(2 / 3);
    expect(b.mean("a", "debug", false)).toBeCloseTo(1 / 2);
    for (let i = 0; i < 20; i++) b.update("a", "debug", false);
    expect(b.mean("a", "debug", true)).toBeLessThan(0.15);
  });

  it("tracks per-turn usage averages", () => {
    const b = new Bandit({ rand: mulberry32(1) });
    b.update("a", "debug", true, { inputTokens: 1000, outputTokens: 100, costUSD: 0.01, durationMs: 2000 });
    b.update("a", "debug", true, { inputTokens: 2000, outputTokens: 100, costUSD: 0.02, durationMs: 2000 });
    expect(b.cell("a", "debug")!.inputTokens).toBeCloseTo(1300);
  });

  it("rejects a discount outside (0, 1]", () => {
    expect(() => new Bandit({ rand: mulberry32(1), gamma: 1.5 })).toThrow(/discount/);
  });
});
