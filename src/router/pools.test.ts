import { describe, expect, it } from "vitest";
import { ArmPools, isRefusal, LimitPool, MAX_FINITE_SCARCITY, type Reservation } from "./pools.ts";

function clock(start = Date.UTC(2026, 0, 10, 12)) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe("ArmPools", () => {
  it("counts request pools per request, not per token (gnoma's bug)", () => {
    const c = clock();
    const pools = new ArmPools({ rpm: 3 }, c.now);
    for (let i = 0; i < 3; i++) {
      const r = pools.reserve({ tokens: 50_000, costUSD: 0 });
      expect(isRefusal(r)).toBe(false);
      pools.commit(r as Reservation, { tokens: 60_000, costUSD: 0 });
    }
    const refused = pools.reserve({ tokens: 1, costUSD: 0 });
    expect(refused).toMatchObject({ kind: "rpm", limit: 3 });
    expect(isRefusal(refused) && refused.retryAfterMs).toBe(60_000);
  });

  it("resets a window when it passes", () => {
    const c = clock();
    const pools = new ArmPools({ rps: 1 }, c.now);
    pools.commit(pools.reserve({ tokens: 1, costUSD: 0 }) as Reservation, { tokens: 1, costUSD: 0 });
    expect(isRefusal(pools.reserve({ tokens: 1, costUSD: 0 }))).toBe(true);
    c.t += 1_000;
    expect(isRefusal(pools.reserve({ tokens: 1, costUSD: 0 }))).toBe(false);
  });

  it("reserve → rollback releases everything; commit records the actual amount", () => {
    const c = clock();
    const pools = new ArmPools({ tpm: 10_000, spendCap: 1 }, c.now);
    const r = pools.reserve({ tokens: 8_000, costUSD: 0.5 }) as Reservation;
    expect(isRefusal(pools.reserve({ tokens: 3_000, costUSD: 0 }))).toBe(true); // reserved counts
    pools.rollback(r);
    expect(pools.pools.map((p) => [p.used, p.reserved])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    const r2 = pools.reserve({ tokens: 8_000, costUSD: 0.5 }) as Reservation;
    pools.commit(r2, { tokens: 2_000, costUSD: 0.1 });
    expect(pools.pools.map((p) => [p.used, p.reserved])).toEqual([
      [2_000, 0],
      [0.1, 0],
    ]);
  });

  it("is all-or-nothing across pools", () => {
    const c = clock();
    const pools = new ArmPools({ rpm: 100, tpm: 1_000 }, c.now);
    const r = pools.reserve({ tokens: 5_000, costUSD: 0 });
    expect(r).toMatchObject({ kind: "tpm" });
    expect(pools.pools.every((p) => p.reserved === 0)).toBe(true);
  });

  it("has no pools and scarcity 1 without limits", () => {
    const pools = new ArmPools(undefined, clock().now);
    expect(pools.pools).toHaveLength(0);
    expect(pools.scarcity()).toBe(1);
  });

  it("grows scarcity as a pool empties, Infinity when exhausted", () => {
    const c = clock();
    const pools = new ArmPools({ rpm: 4 }, c.now);
    const s: number[] = [pools.scarcity()];
    for (let i = 0; i < 4; i++) {
      pools.commit(pools.reserve({ tokens: 0, costUSD: 0 }) as Reservation, { tokens: 0, costUSD: 0 });
      s.push(pools.scarcity());
    }
    expect(s.slice(0, 4)).toEqual([1, 1 / 0.75 ** 2, 1 / 0.5 ** 2, 1 / 0.25 ** 2]);
    expect(s[4]).toBe(Number.POSITIVE_INFINITY);
  });

  it("restores day/month usage from state while the window lasts", () => {
    const c = clock();
    const a = new ArmPools({ rpd: 10, rpm: 5 }, c.now);
    a.commit(a.reserve({ tokens: 0, costUSD: 0 }) as Reservation, { tokens: 0, costUSD: 0 });
    const state = a.toState();
    expect(state.map((p) => p.kind)).toEqual(["rpd"]);
    const b = new ArmPools({ rpd: 10 }, c.now);
    b.restore(state);
    expect(b.pools[0]!.used).toBe(1);
    c.t += 86_400_000;
    const d = new ArmPools({ rpd: 10 }, c.now);
    d.restore(state);
    expect(d.pools[0]!.used).toBe(0);
  });
});

describe("LimitPool.scarcity", () => {
  it("caps finite scarcity and halves it for long windows near their reset", () => {
    const monthEnd = new Date(2026, 1, 1).getTime() - 30 * 60_000; // 30 min before the month resets
    const p = new LimitPool("tokens_month", 100, monthEnd);
    p.used = 50;
    expect(p.scarcity(monthEnd)).toBeCloseTo((1 / 0.5 ** 4) * 0.5);
    p.used = 99.999;
    expect(p.scarcity(monthEnd)).toBe(MAX_FINITE_SCARCITY);
  });
});
