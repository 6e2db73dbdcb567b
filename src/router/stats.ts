import type { ArmSpec } from "./arm.ts";
import { STRENGTH_PRIOR } from "./bandit.ts";
import type { RouterState } from "./state.ts";
import { TASK_TYPES, type TaskType } from "./task.ts";

/** One arm × task type row of `owlet router stats`. */
export interface RouterStatsRow {
  arm: string;
  taskType: TaskType;
  /** Turns observed (raw count). */
  observations: number;
  /** Raw successes. */
  successes: number;
  /** Posterior mean success probability (discounted evidence + prior). */
  posteriorMean: number;
  /** Average USD per turn (EMA), when priced. */
  costPerTurnUSD?: number;
  /** Average turn duration, ms (EMA). */
  turnMs?: number;
  /** Arm's time to first token, ms (EMA). */
  ttftMs?: number;
  /** Arm's completion tokens per second (EMA). */
  tokensPerSec?: number;
}

/** The whole stats report: rows plus classifier source counts. */
export interface RouterStats {
  rows: RouterStatsRow[];
  classifierCounts: RouterState["classifierCounts"];
  updatedAt: number;
}

/**
 * Builds the stats report from a state; `arms` (optional) supplies strengths for the prior. Rows only for
 * cells with observations, sorted by arm then task type order.
 */
export function statsFromState(
  state: RouterState,
  arms: readonly Pick<ArmSpec, "id" | "strengths">[] = [],
): RouterStats {
  const rows: RouterStatsRow[] = [];
  for (const armId of Object.keys(state.bandit).sort()) {
    const byType = state.bandit[armId]!;
    const strengths = arms.find((a) => a.id === armId)?.strengths ?? [];
    const perf = state.perf[armId];
    for (const type of TASK_TYPES) {
      const c = byType[type];
      if (!c || c.n === 0) continue;
      const alpha = 1 + (strengths.includes(type) ? STRENGTH_PRIOR : 0) + c.s;
      const beta = 1 + c.f;
      const row: RouterStatsRow = {
        arm: armId,
        taskType: type,
        observations: c.n,
        successes: c.wins,
        posteriorMean: round(alpha / (alpha + beta), 3),
      };
      if (c.costUSD !== undefined) row.costPerTurnUSD = round(c.costUSD, 5);
      if (c.durationMs !== undefined) row.turnMs = Math.round(c.durationMs);
      if (perf?.ttftMs !== undefined) row.ttftMs = Math.round(perf.ttftMs);
      if (perf?.tokensPerSec !== undefined) row.tokensPerSec = round(perf.tokensPerSec, 1);
      rows.push(row);
    }
  }
  return { rows, classifierCounts: { ...state.classifierCounts }, updatedAt: state.updatedAt };
}

/** Renders stats as an aligned plain-text table (one line per row) plus a classifier line. */
export function formatStatsTable(stats: RouterStats): string {
  if (stats.rows.length === 0)
    return "No routing outcomes recorded yet: run a few prompts with several arms configured.\n";
  const header = ["arm", "task type", "turns", "wins", "p(success)", "$/turn", "turn s", "TTFT ms", "tok/s"];
  const lines = stats.rows.map((r) => [
    r.arm,
    r.taskType,
    String(r.observations),
    String(r.successes),
    r.posteriorMean.toFixed(2),
    r.costPerTurnUSD === undefined ? "-" : r.costPerTurnUSD.toFixed(4),
    r.turnMs === undefined ? "-" : (r.turnMs / 1000).toFixed(1),
    r.ttftMs === undefined ? "-" : String(r.ttftMs),
    r.tokensPerSec === undefined ? "-" : r.tokensPerSec.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) =>
    cols.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const counts = Object.entries(stats.classifierCounts)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return `${[fmt(header), ...lines.map(fmt)].join("\n")}\n${counts ? `\nclassifier: ${counts}\n` : ""}`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
