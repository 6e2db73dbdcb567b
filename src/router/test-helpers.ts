import type { Provider, ProviderName } from "../provider/types.ts";
import type { StreamEvent } from "../stream/events.ts";
import { type Arm, type ArmSpec, handleFor } from "./arm.ts";

/**
 * Test helpers for router tests (not used by production code): a provider that yields scripted events
 * and an arm builder with defaults.
 */

/** A provider whose `stream` yields `events` (or throws `error` before the first event). */
export function scriptedProvider(name: ProviderName, events: StreamEvent[] = [], error?: unknown): Provider {
  return {
    name,
    async *stream() {
      if (error !== undefined) throw error;
      for (const e of events) yield e;
    },
  };
}

/** An arm with defaults: cloud openai, tool use, no prices, no strengths, cost weight 1. */
export function testArm(partial: Partial<ArmSpec> & { id: string }): Arm {
  const spec: ArmSpec = {
    provider: "openai",
    model: partial.id,
    local: false,
    toolUse: true,
    strengths: [],
    costWeight: 1,
    ...partial,
  };
  return { ...spec, handle: handleFor(spec, scriptedProvider(spec.provider)) };
}
