/**
 * Per-arm speed: time to first token (ms) and output tokens per second as exponential moving averages,
 * α = 0.3 as in gnoma's `ArmPerf` (reference §2.4).
 */

/** EMA weight of the newest sample (gnoma §2.4). */
export const PERF_ALPHA = 0.3;

/** Moving averages for one arm. */
export interface ArmPerf {
  /** EMA of time to first token, ms (undefined until a round streamed something). */
  ttftMs?: number;
  /** EMA of completion tokens per second over the whole round. */
  tokensPerSec?: number;
  /** Rounds measured. */
  samples: number;
}

/**
 * Folds one round into `perf` and returns the new value. `ttftMs` undefined (nothing streamed) leaves TTFT
 * unchanged; tokens/s is completion tokens ÷ (durationMs / 1000) and skipped for rounds with no output.
 */
export function updatePerf(
  perf: ArmPerf,
  round: { ttftMs?: number; durationMs: number; outputTokens: number },
): ArmPerf {
  const next: ArmPerf = { ...perf, samples: perf.samples + 1 };
  if (round.ttftMs !== undefined && round.ttftMs >= 0) next.ttftMs = ema(perf.ttftMs, round.ttftMs);
  if (round.outputTokens > 0 && round.durationMs > 0) {
    next.tokensPerSec = ema(perf.tokensPerSec, round.outputTokens / (round.durationMs / 1000));
  }
  return next;
}

function ema(prev: number | undefined, x: number): number {
  return prev === undefined ? x : PERF_ALPHA * x + (1 - PERF_ALPHA) * prev;
}
