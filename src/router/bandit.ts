import { type Random, sampleBeta } from "./prng.ts";
import type { TaskType } from "./task.ts";

/**
 * Discounted Thompson sampling over binary turn success (Raj & Kalyani 2017, "Taming non-stationary
 * bandits"; the plan gnoma deferred as ADR-009, reference §2.3 and §12). Per (arm, task type) the router
 * keeps discounted success/failure counts S and F; the posterior is Beta(α₀ + S, β₀ + F). Each observation
 * of a task type first multiplies S and F of every arm for that type by γ, then adds the outcome to the arm
 * that played, so evidence fades after ~1/(1−γ) observations of that type: an arm that got worse loses its
 * lead, and an arm not tried for a while drifts back towards its prior and is explored again.
 * Strengths are a prior bonus: α₀ = 1 + STRENGTH_PRIOR for a listed strength (prior mean 2/3 instead of
 * 1/2), worth one observation and outweighed by evidence.
 */

/** Default discount per observation of a task type (memory ≈ 1/(1−γ) = 50 observations; chosen on a 3-arm drift simulation: 0.97 exploits less (86 % vs 90 % on the best arm), 0.99 reacts slower). */
export const DEFAULT_GAMMA = 0.98;

/** Extra prior successes for a listed strength. */
export const STRENGTH_PRIOR = 1;

/** Learned statistics of one (arm, task type) cell. All token counts are per turn. */
export interface BanditCell {
  /** Discounted successes. */
  s: number;
  /** Discounted failures. */
  f: number;
  /** Raw number of outcomes observed (never discounted). */
  n: number;
  /** Raw successes observed. */
  wins: number;
  /** EMA of prompt tokens per turn (undefined until observed). */
  inputTokens?: number;
  /** EMA of (prompt tokens per turn ÷ the turn's first estimated prompt): how many prompt-sized requests a turn costs. */
  inputRatio?: number;
  /** EMA of completion tokens per turn. */
  outputTokens?: number;
  /** EMA of USD per turn at the prices of the time. */
  costUSD?: number;
  /** EMA of turn duration, ms. */
  durationMs?: number;
}

/** Persisted bandit state: cells by arm id, then task type. */
export type BanditState = Record<string, Partial<Record<TaskType, BanditCell>>>;

/** EMA weight for the per-turn token/cost/duration averages. */
const USAGE_ALPHA = 0.3;

/** The posterior and its sampler. */
export class Bandit {
  readonly gamma: number;
  private readonly cells: BanditState;
  private readonly rand: Random;

  /**
   * @param rand uniform source (seed it for reproducible choices)
   * @param gamma discount in (0, 1]; 1 = classic (stationary) Thompson sampling
   * @param state restored cells (copied)
   */
  constructor(opts: { rand: Random; gamma?: number; state?: BanditState }) {
    this.rand = opts.rand;
    this.gamma = opts.gamma ?? DEFAULT_GAMMA;
    if (!(this.gamma > 0 && this.gamma <= 1))
      throw new RangeError(`bandit discount must be in (0, 1], got ${this.gamma}`);
    this.cells = structuredClone(opts.state ?? {});
  }

  /** The cell for (arm, type), or undefined before any observation. */
  cell(armId: string, type: TaskType): BanditCell | undefined {
    return this.cells[armId]?.[type];
  }

  /** Beta parameters of the posterior: uniform prior (+ strength bonus) plus the discounted counts. */
  posterior(armId: string, type: TaskType, strong: boolean): { alpha: number; beta: number } {
    const c = this.cell(armId, type);
    return { alpha: 1 + (strong ? STRENGTH_PRIOR : 0) + (c?.s ?? 0), beta: 1 + (c?.f ?? 0) };
  }

  /** Posterior mean success probability. */
  mean(armId: string, type: TaskType, strong: boolean): number {
    const { alpha, beta } = this.posterior(armId, type, strong);
    return alpha / (alpha + beta);
  }

  /** One Thompson draw θ ~ Beta(α, β). */
  sample(armId: string, type: TaskType, strong: boolean): number {
    const { alpha, beta } = this.posterior(armId, type, strong);
    return sampleBeta(alpha, beta, this.rand);
  }

  /**
   * Records one turn outcome of `armId` on `type`: discounts every arm's counts for `type` by γ, then adds
   * the outcome. `usage` (when given) updates the per-turn token, cost and duration averages.
   */
  update(
    armId: string,
    type: TaskType,
    success: boolean,
    usage?: {
      inputTokens: number;
      outputTokens: number;
      costUSD: number;
      durationMs: number;
      estimatedPromptTokens?: number;
    },
  ): void {
    for (const byType of Object.values(this.cells)) {
      const c = byType[type];
      if (c) {
        c.s *= this.gamma;
        c.f *= this.gamma;
      }
    }
    const byType = this.cells[armId] ?? {};
    this.cells[armId] = byType;
    const c = byType[type] ?? { s: 0, f: 0, n: 0, wins: 0 };
    byType[type] = c;
    if (success) {
      c.s += 1;
      c.wins += 1;
    } else c.f += 1;
    c.n += 1;
    if (usage) {
      c.inputTokens = ema(c.inputTokens, usage.inputTokens);
      if (usage.estimatedPromptTokens !== undefined && usage.estimatedPromptTokens > 0)
        c.inputRatio = ema(c.inputRatio, usage.inputTokens / usage.estimatedPromptTokens);
      c.outputTokens = ema(c.outputTokens, usage.outputTokens);
      c.costUSD = ema(c.costUSD, usage.costUSD);
      c.durationMs = ema(c.durationMs, usage.durationMs);
    }
  }

  /** A deep copy of all cells, for persistence and stats. */
  toState(): BanditState {
    return structuredClone(this.cells);
  }
}

function ema(prev: number | undefined, x: number): number {
  return prev === undefined ? x : USAGE_ALPHA * x + (1 - USAGE_ALPHA) * prev;
}
