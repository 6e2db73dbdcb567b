import type { ArmLimits } from "./arm.ts";

/**
 * Rate-limit pools per arm, after gnoma's `LimitPool` (reference §2.5) with its per-token normalisation bug
 * fixed: request pools (rps/rpm/rpd) consume exactly 1 unit per request, token pools consume tokens and the
 * spend pool consumes USD. Protocol: `reserve` (estimate) → `commit` (actual) or `rollback` (failure).
 */

/** What a pool counts. */
export type PoolKind = "rps" | "rpm" | "rpd" | "tpm" | "tokens_month" | "spend";

/** How a pool's window resets: a fixed length in ms, or calendar boundaries. */
type Period = { ms: number } | "day" | "month";

/** Pool definitions: window, and the scarcity exponent k (gnoma §2.5: rps 3, rpm 2, rpd 2, tpm 2, month 4, spend 4). */
const DEFS: Record<PoolKind, { period: Period; k: number; unit: "requests" | "tokens" | "usd" }> = {
  rps: { period: { ms: 1_000 }, k: 3, unit: "requests" },
  rpm: { period: { ms: 60_000 }, k: 2, unit: "requests" },
  rpd: { period: "day", k: 2, unit: "requests" },
  tpm: { period: { ms: 60_000 }, k: 2, unit: "tokens" },
  tokens_month: { period: "month", k: 4, unit: "tokens" },
  spend: { period: "month", k: 4, unit: "usd" },
};

/** Scarcity is capped here while capacity remains (Infinity only when exhausted). */
export const MAX_FINITE_SCARCITY = 100;

/** One request's demand on an arm's pools: always 1 request, plus tokens and USD. */
export interface PoolDemand {
  /** Prompt + completion tokens (estimated at reserve, actual at commit). */
  tokens: number;
  /** USD (estimated at reserve, actual at commit). */
  costUSD: number;
}

/** Serializable state of one pool (persisted so daily/monthly budgets survive restarts). */
export interface PoolState {
  kind: PoolKind;
  limit: number;
  used: number;
  /** Epoch ms at which `used` resets to 0. */
  resetAt: number;
}

/** One limit window: `used` + `reserved` against `limit`, reset at `resetAt` (epoch ms). */
export class LimitPool {
  readonly kind: PoolKind;
  readonly limit: number;
  used = 0;
  reserved = 0;
  resetAt: number;

  constructor(kind: PoolKind, limit: number, now: number) {
    this.kind = kind;
    this.limit = limit;
    this.resetAt = nextReset(DEFS[kind].period, now);
  }

  /** Units a demand takes from this pool: 1 for request pools, tokens, or USD. */
  units(d: PoolDemand): number {
    const unit = DEFS[this.kind].unit;
    return unit === "requests" ? 1 : unit === "tokens" ? d.tokens : d.costUSD;
  }

  /** Resets `used` when the window has passed (reservations in flight are kept). */
  checkReset(now: number): void {
    if (now >= this.resetAt) {
      this.used = 0;
      this.resetAt = nextReset(DEFS[this.kind].period, now);
    }
  }

  /** True when `units` more fit in the window. */
  canAfford(units: number): boolean {
    return this.used + this.reserved + units <= this.limit + 1e-9;
  }

  /**
   * Scarcity multiplier ≥ 1 for the cost term: 1/f^k with f the remaining fraction (gnoma §2.5), capped at
   * MAX_FINITE_SCARCITY; Infinity when nothing is left. gnoma's "use it or lose it" discount (×0.5 when the
   * reset is under an hour away and f > 0.3) applies only to day/month windows here: for second/minute
   * windows the reset is always near and the discount would make a busy arm look cheaper.
   */
  scarcity(now: number): number {
    const f = (this.limit - this.used - this.reserved) / this.limit;
    if (f <= 0) return Number.POSITIVE_INFINITY;
    let s = Math.min(MAX_FINITE_SCARCITY, 1 / f ** DEFS[this.kind].k);
    const longWindow = typeof DEFS[this.kind].period === "string";
    if (longWindow && this.resetAt - now < 3_600_000 && f > 0.3) s *= 0.5;
    return Math.max(1, s);
  }

  /** Milliseconds until this pool resets. */
  msUntilReset(now: number): number {
    return Math.max(0, this.resetAt - now);
  }

  toState(): PoolState {
    return { kind: this.kind, limit: this.limit, used: this.used, resetAt: this.resetAt };
  }
}

/** A held reservation: the units taken from each pool, returned by `ArmPools.reserve`. */
export interface Reservation {
  readonly units: readonly number[];
}

/** Why a reservation was refused: the exhausted pool and when it frees up. */
export interface PoolRefusal {
  kind: PoolKind;
  limit: number;
  retryAfterMs: number;
}

/** All pools of one arm; reservations are all-or-nothing across them. */
export class ArmPools {
  readonly pools: LimitPool[];
  private readonly now: () => number;

  /** Builds the pools for `limits` (absent fields make no pool); `now` returns epoch ms. */
  constructor(limits: ArmLimits | undefined, now: () => number) {
    this.now = now;
    const t = now();
    const l = limits ?? {};
    const entries: [PoolKind, number | undefined][] = [
      ["rps", l.rps],
      ["rpm", l.rpm],
      ["rpd", l.rpd],
      ["tpm", l.tpm],
      ["tokens_month", l.tokensPerMonth],
      ["spend", l.spendCap],
    ];
    this.pools = entries.filter(([, v]) => v !== undefined && v > 0).map(([k, v]) => new LimitPool(k, v!, t));
  }

  /** The first pool that cannot take `demand`, or undefined when all can. */
  refusal(demand: PoolDemand): PoolRefusal | undefined {
    const now = this.now();
    for (const p of this.pools) {
      p.checkReset(now);
      if (!p.canAfford(p.units(demand)))
        return { kind: p.kind, limit: p.limit, retryAfterMs: p.msUntilReset(now) };
    }
    return undefined;
  }

  /** Reserves `demand` on every pool, or returns the refusal and reserves nothing. */
  reserve(demand: PoolDemand): Reservation | PoolRefusal {
    const refused = this.refusal(demand);
    if (refused) return refused;
    const units = this.pools.map((p) => p.units(demand));
    this.pools.forEach((p, i) => {
      p.reserved += units[i]!;
    });
    return { units };
  }

  /** Converts a reservation into actual use (request pools count 1; token/spend pools the actual amounts). */
  commit(r: Reservation, actual: PoolDemand): void {
    this.release(r);
    this.record(actual);
  }

  /** Records use without a reservation (when the engine reports a round it did not announce). */
  record(actual: PoolDemand): void {
    const now = this.now();
    for (const p of this.pools) {
      p.checkReset(now);
      p.used += p.units(actual);
    }
  }

  /** Returns a reservation's units: the request failed, nothing was consumed. */
  rollback(r: Reservation): void {
    this.release(r);
  }

  /** Highest scarcity multiplier across pools (1 with no pools; Infinity when one is exhausted). */
  scarcity(): number {
    const now = this.now();
    let s = 1;
    for (const p of this.pools) {
      p.checkReset(now);
      s = Math.max(s, p.scarcity(now));
    }
    return s;
  }

  /** Restores persisted usage for pools whose kind and limit still match and whose window has not passed. */
  restore(states: readonly PoolState[]): void {
    const now = this.now();
    for (const s of states) {
      const p = this.pools.find((x) => x.kind === s.kind && x.limit === s.limit);
      if (p && s.resetAt > now && Number.isFinite(s.used) && s.used >= 0) {
        p.used = s.used;
        p.resetAt = s.resetAt;
      }
    }
  }

  /** Persistable usage of the day/month pools (second/minute windows are not worth persisting). */
  toState(): PoolState[] {
    return this.pools.filter((p) => typeof DEFS[p.kind].period === "string").map((p) => p.toState());
  }

  private release(r: Reservation): void {
    this.pools.forEach((p, i) => {
      p.reserved = Math.max(0, p.reserved - (r.units[i] ?? 0));
    });
  }
}

/** True when `x` is a refusal rather than a reservation. */
export function isRefusal(x: Reservation | PoolRefusal): x is PoolRefusal {
  return "kind" in x;
}

/** Epoch ms of the next reset after `now`: `now + ms`, next local midnight, or the first of next month. */
function nextReset(period: Period, now: number): number {
  if (typeof period === "object") return now + period.ms;
  const d = new Date(now);
  if (period === "day") return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  return new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
}
