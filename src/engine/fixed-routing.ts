import type { ArmHandle, RoutingPolicy, TurnRoute } from "./routing.ts";

/** A routing policy with one pinned arm: no classification, no failover. */
export class FixedRouting implements RoutingPolicy {
  private readonly arm: ArmHandle;

  constructor(arm: ArmHandle) {
    this.arm = arm;
  }

  async selectForTurn(): Promise<TurnRoute> {
    return { arm: this.arm, taskType: "unclassified", classifier: "fixed", reason: "single configured arm" };
  }

  async failover(): Promise<TurnRoute | undefined> {
    return undefined;
  }
}
