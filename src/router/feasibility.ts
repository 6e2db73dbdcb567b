import type { ArmSpec } from "./arm.ts";
import type { PoolRefusal } from "./pools.ts";

/**
 * Feasibility: the hard rules that take an arm out of a turn's candidates before the bandit scores anything
 * (gnoma's `filterFeasible`, reference §2.3, minus its quality thresholds, which the bandit's learned
 * posterior replaces). One pure function; every exclusion says why.
 */

/** Facts about the turn and the arm's live state that feasibility needs. */
export interface FeasibilityContext {
  complexity: number;
  /** The turn needs native tool calls (engine sends tools and the classifier did not rule them out). */
  requiresTools: boolean;
  /** Estimated prompt size, tokens. */
  estimatedPromptTokens: number;
  localOnly: boolean;
  /** Backoff left for this arm, ms (0 = none). */
  backoffMs: number;
  /** The pool that cannot take one more request of this turn, if any. */
  poolRefusal?: PoolRefusal;
  /** Consider disabled arms too (a forced arm may be disabled for auto-routing). */
  allowDisabled?: boolean;
}

/** Output tokens kept free in the window when judging fit (the answer must fit too). */
export const OUTPUT_HEADROOM_TOKENS = 1024;

/** Every reason `arm` cannot take this turn; empty when it can. */
export function infeasibilityReasons(arm: ArmSpec, ctx: FeasibilityContext): string[] {
  const reasons: string[] = [];
  if (arm.disabled && !ctx.allowDisabled) reasons.push("disabled in config");
  if (ctx.localOnly && !arm.local) reasons.push("cloud arm excluded in local-only mode");
  if (ctx.backoffMs > 0)
    reasons.push(`in backoff for ${Math.ceil(ctx.backoffMs / 1000)} s after a rate-limit error`);
  if (ctx.poolRefusal)
    reasons.push(
      `${ctx.poolRefusal.kind} limit of ${ctx.poolRefusal.limit} reached (frees in ${Math.ceil(ctx.poolRefusal.retryAfterMs / 1000)} s)`,
    );
  if (ctx.requiresTools && !arm.toolUse)
    reasons.push("the task needs tools and the arm has no native tool use");
  if (arm.contextWindow !== undefined) {
    const headroom = Math.min(OUTPUT_HEADROOM_TOKENS, arm.maxOutputTokens ?? OUTPUT_HEADROOM_TOKENS);
    if (ctx.estimatedPromptTokens + headroom > arm.contextWindow)
      reasons.push(
        `prompt of ~${ctx.estimatedPromptTokens} tokens does not fit the ${arm.contextWindow}-token context window`,
      );
  }
  if (arm.maxComplexity !== undefined && ctx.complexity > arm.maxComplexity)
    reasons.push(`complexity ${ctx.complexity.toFixed(2)} above the arm's ceiling ${arm.maxComplexity}`);
  return reasons;
}

/** True when `arm` can take this turn. */
export function isFeasible(arm: ArmSpec, ctx: FeasibilityContext): boolean {
  return infeasibilityReasons(arm, ctx).length === 0;
}
