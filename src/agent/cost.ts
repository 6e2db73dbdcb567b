/** The spend of an agent: every round's tokens at the prices of the arm that served it. */
import type { OwletConfig } from "../config/schema.ts";
import type { EngineEvent } from "../engine/events.ts";
import { armSpecsFromConfig, requestCostUSD } from "../router/arm.ts";

/**
 * Sums an agent's estimated spend, USD, from its engine events: the arm from each `routing` event, then each
 * `usage` event priced by that arm's `[[arms]]` row (price_input / price_output, USD per 1M tokens). Arms
 * without a priced row (one arm from flags, local servers, embedded models) cost 0. Never throws: a config
 * whose `[[arms]]` cannot be read prices nothing (the router reports such rows itself).
 */
export class CostMeter {
  private readonly prices = new Map<string, ReturnType<typeof armSpecsFromConfig>[number]>();
  private arm: string | undefined;
  /** USD so far. */
  total = 0;

  constructor(config: OwletConfig) {
    try {
      for (const spec of armSpecsFromConfig((config.arms ?? []) as Record<string, unknown>[]))
        this.prices.set(spec.id, spec);
    } catch {
      // invalid rows are reported by the router; they price nothing here
    }
  }

  /** Feeds one engine event. */
  readonly observe = (event: EngineEvent): void => {
    if (event.type === "routing") this.arm = event.arm;
    else if (event.type === "usage" && this.arm) {
      const spec = this.prices.get(this.arm);
      if (spec) this.total += requestCostUSD(spec, event.usage.inputTokens, event.usage.outputTokens);
    }
  };
}
