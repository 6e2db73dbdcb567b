/**
 * The bandit's cost term. gnoma's `1 + w·(rawCost − 1)` (reference §2.3) mixes a currency amount with a
 * dimensionless 1 and goes to ~0 (i.e. a huge bonus) for cheap arms; it only worked because costs were never
 * filled in. Here cost is first made dimensionless against what the task is worth, then dampened by the
 * arm's cost weight:
 *
 *   effectiveCost = (1 + costUSD / (referenceUSD × value))^costWeight × scarcity
 *
 * - `referenceUSD` is the spend at which a unit-value task's preference halves (default $1 per turn, see
 *   DEFAULT_REFERENCE_USD); a task worth more (value, see task.ts) tolerates proportionally more.
 * - costWeight 0 ignores price, 1 is the default, 2 is extra frugal; a free (local) arm costs exactly 1.
 * - scarcity (pools.ts, ≥ 1) multiplies outside the exponent: it protects quota, not money, so it applies
 *   even to free arms and is not softened by a low cost weight.
 *
 * score = value × θ / effectiveCost, θ sampled from the success posterior (bandit.ts).
 */

/**
 * Default reference spend per unit-value turn, USD: $1. Calibrated on bench/router-sim.ts, where agentic
 * turns cost $0–$1.50: with $0.25 the router gives up 10+ points of success for savings (68 % vs an
 * oracle's 71 %), with $1 its oracle matches the success of gnoma's always-big-model tiers (81.5 % vs
 * 81.9 %) at a fifth of the cost per success.
 */
export const DEFAULT_REFERENCE_USD = 1;

/** Inputs of the cost term (USD, dimensionless value ≥ 0, cost weight ≥ 0, scarcity ≥ 1). */
export interface CostInput {
  costUSD: number;
  value: number;
  costWeight: number;
  scarcity: number;
  referenceUSD?: number;
}

/** The effective cost (≥ 1 for finite scarcity; Infinity when a pool is exhausted). */
export function effectiveCost(c: CostInput): number {
  const ref = (c.referenceUSD ?? DEFAULT_REFERENCE_USD) * Math.max(c.value, 1e-6);
  return (1 + Math.max(0, c.costUSD) / ref) ** Math.max(0, c.costWeight) * Math.max(1, c.scarcity);
}

/** value × θ / effectiveCost: the quantity the bandit maximises. */
export function armScore(theta: number, c: CostInput): number {
  return (c.value * theta) / effectiveCost(c);
}
