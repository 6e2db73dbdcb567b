/** The spend of an agent: every round's tokens at the prices of the arm that served it. */
import type { EngineEvent } from "../engine/events.ts";
import type { Usage } from "../message/types.ts";

/**
 * Sums an agent's estimated spend, USD, from its engine events: the arm from each `routing` event, then each
 * `usage` event priced by `priceOf` (the agent's price table, prices.ts: `[[arms]]` price_input / price_output,
 * else the models.dev catalogue for cloud arms; the same figures the session's usage records carry). Arms
 * without a known price (local servers, embedded models, unknown cloud models) cost 0. Summary requests of
 * compaction emit no `usage` event and are not counted here (their cost is in the session's usage records).
 */
export class CostMeter {
  private arm: string | undefined;
  /** USD so far. */
  total = 0;

  constructor(private readonly priceOf: (armId: string, usage: Usage) => number | undefined) {}

  /** Feeds one engine event. */
  readonly observe = (event: EngineEvent): void => {
    if (event.type === "routing") this.arm = event.arm;
    else if (event.type === "usage" && this.arm) this.total += this.priceOf(this.arm, event.usage) ?? 0;
  };
}
