import type { BanditCell, BanditState } from "./bandit.ts";
import type { ArmPerf } from "./perf.ts";
import type { PoolState } from "./pools.ts";
import { type ClassifierSource, isTaskType } from "./task.ts";

/** Version of the persisted router state format. */
export const ROUTER_STATE_VERSION = 1;

/**
 * Everything the router learns, persisted between sessions as JSON: bandit cells per (arm, task type),
 * speed averages per arm, day/month pool usage per arm, and how often each classifier source answered.
 */
export interface RouterState {
  version: typeof ROUTER_STATE_VERSION;
  /** Epoch ms of the last change. */
  updatedAt: number;
  bandit: BanditState;
  perf: Record<string, ArmPerf>;
  pools: Record<string, PoolState[]>;
  classifierCounts: Partial<Record<ClassifierSource, number>>;
}

/** A state with nothing learned. */
export function emptyRouterState(now = Date.now()): RouterState {
  return {
    version: ROUTER_STATE_VERSION,
    updatedAt: now,
    bandit: {},
    perf: {},
    pools: {},
    classifierCounts: {},
  };
}

/**
 * Validates parsed JSON as a RouterState, dropping malformed entries (unknown task types, non-numeric
 * counts). Throws an Error saying what is wrong when the top level is not a version-1 state.
 */
export function parseRouterState(raw: unknown): RouterState {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error("not a JSON object");
  const r = raw as Record<string, unknown>;
  if (r.version !== ROUTER_STATE_VERSION) throw new Error(`unsupported version ${JSON.stringify(r.version)}`);
  const state = emptyRouterState(num(r.updatedAt) ?? 0);
  for (const [armId, byType] of entries(r.bandit)) {
    for (const [type, cellRaw] of entries(byType)) {
      if (!isTaskType(type)) continue;
      const c = cellRaw as Record<string, unknown>;
      const s = num(c.s);
      const f = num(c.f);
      const n = num(c.n);
      if (s === undefined || f === undefined || n === undefined) continue;
      const cell: BanditCell = { s, f, n, wins: num(c.wins) ?? 0 };
      for (const k of ["inputTokens", "inputRatio", "outputTokens", "costUSD", "durationMs"] as const) {
        const v = num(c[k]);
        if (v !== undefined) cell[k] = v;
      }
      const byType = state.bandit[armId] ?? {};
      byType[type] = cell;
      state.bandit[armId] = byType;
    }
  }
  for (const [armId, p] of entries(r.perf)) {
    const q = p as Record<string, unknown>;
    const perf: ArmPerf = { samples: num(q.samples) ?? 0 };
    const ttft = num(q.ttftMs);
    const tps = num(q.tokensPerSec);
    if (ttft !== undefined) perf.ttftMs = ttft;
    if (tps !== undefined) perf.tokensPerSec = tps;
    state.perf[armId] = perf;
  }
  for (const [armId, list] of entries(r.pools)) {
    if (!Array.isArray(list)) continue;
    state.pools[armId] = list.filter(
      (p): p is PoolState =>
        typeof p === "object" &&
        p !== null &&
        typeof p.kind === "string" &&
        num(p.limit) !== undefined &&
        num(p.used) !== undefined &&
        num(p.resetAt) !== undefined,
    );
  }
  for (const [src, count] of entries(r.classifierCounts)) {
    const n = num(count);
    if ((src === "heuristic" || src === "slm" || src === "slm_fallback") && n !== undefined)
      state.classifierCounts[src] = n;
  }
  return state;
}

function entries(x: unknown): [string, unknown][] {
  return typeof x === "object" && x !== null && !Array.isArray(x) ? Object.entries(x) : [];
}

function num(x: unknown): number | undefined {
  return typeof x === "number" && Number.isFinite(x) && x >= 0 ? x : undefined;
}
