import type { OwletConfig } from "../config/schema.ts";
import { FixedRouting } from "../engine/fixed-routing.ts";
import type { ArmHandle, RoutingPolicy } from "../engine/routing.ts";
import { resolvePrimaryArm } from "./resolve-arm.ts";

/** Inputs of {@link buildRouting}. */
export interface RoutingSetup {
  config: OwletConfig;
  cwd: string;
  env: NodeJS.ProcessEnv;
  localOnly: boolean;
  seed?: number;
  /** True when --provider or --model was given on the command line: that arm is pinned. */
  pinned: boolean;
}

/** The routing policy print mode hands the engine, and the arm that will most likely serve (for the session). */
export interface RoutingBuilt {
  policy: RoutingPolicy;
  primary: ArmHandle;
  /** Persists learned state (router only). */
  close?(): Promise<void>;
}

/**
 * Builds the routing for print mode. Without `[[arms]]` in config: one arm (flags → config → auto-selection),
 * fixed. With `[[arms]]`: the learning router over the configured arms (see router-setup.ts), with the
 * flag-given arm pinned.
 */
export async function buildRouting(setup: RoutingSetup): Promise<RoutingBuilt> {
  if ((setup.config.arms ?? []).length > 0) {
    const { buildRouter } = await import("./router-setup.ts");
    return buildRouter(setup);
  }
  const { handle } = await resolvePrimaryArm(setup.config, setup.cwd, setup.env);
  if (setup.localOnly && !handle.local) {
    throw new (await import("./exit-codes.ts")).UserError(
      `--local-only: the selected arm ${handle.id} is a cloud model; choose a local provider (llamacpp, ollama, lmstudio, embedded)`,
    );
  }
  return { policy: new FixedRouting(handle), primary: handle };
}
