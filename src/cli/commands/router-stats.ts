import { emptyRouterState } from "../../router/state.ts";
import { defaultRouterStatePath, loadRouterState } from "../../router/state-store.ts";
import { formatStatsTable, statsFromState } from "../../router/stats.ts";

/** Options of `owlet router stats`. */
export interface RouterStatsOptions {
  /** Print JSON (`{ rows, classifierCounts, updatedAt, path }`) instead of a table. */
  json?: boolean;
  /** State file to read; default `${XDG_CONFIG_HOME:-~/.config}/owlet/router-state.json`. */
  statePath?: string;
  out: NodeJS.WritableStream;
  /** Where warnings (corrupt state file) go; default stderr. */
  err?: NodeJS.WritableStream;
}

/**
 * `owlet router stats`: prints arm × task type with turns, successes, posterior mean success, USD per
 * turn, turn time, TTFT and tokens/s from the persisted router state. Returns the exit code: 0 (also when
 * nothing was learned yet, with a note).
 */
export async function runRouterStats(opts: RouterStatsOptions): Promise<number> {
  const path = opts.statePath ?? defaultRouterStatePath();
  const err = opts.err ?? process.stderr;
  const state = (await loadRouterState(path, (m) => err.write(`owlet: ${m}\n`))) ?? emptyRouterState(0);
  const stats = statsFromState(state);
  if (opts.json) {
    opts.out.write(`${JSON.stringify({ ...stats, path }, null, 2)}\n`);
  } else {
    opts.out.write(`router state: ${path}\n\n${formatStatsTable(stats)}`);
  }
  return 0;
}
