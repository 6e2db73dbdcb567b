/** `[context] summary_arm`: the (cheaper) arm that writes summaries and titles. */
import { resolveApiKey } from "../config/api-key.ts";
import type { OwletConfig } from "../config/schema.ts";
import type { ArmHandle } from "../engine/routing.ts";
import { catalogContextWindow } from "../provider/model-catalog.ts";
import type { ProviderName } from "../provider/types.ts";
import { armSpecsFromConfig, handleFor } from "../router/arm.ts";
import { armProvider, localServerSettings } from "./arm-provider.ts";
import { AgentSetupError, setupError } from "./errors.ts";

/**
 * The arm `[context] summary_arm` names (an `[[arms]]` id), with its provider built; undefined when none is set.
 * A cloud arm without a configured window gets the catalogue's. Throws AgentSetupError when the id names no
 * `[[arms]]` row or the row is invalid.
 */
export async function buildSummaryArm(
  config: OwletConfig,
  env: NodeJS.ProcessEnv,
): Promise<ArmHandle | undefined> {
  const id = config.context.summary_arm;
  if (!id) return undefined;
  const row = (config.arms ?? []).find((r) => r.id === id);
  if (!row) {
    const known = (config.arms ?? []).map((r) => r.id);
    throw new AgentSetupError(
      `[context] summary_arm = "${id}" names no [[arms]] entry${known.length ? ` (arms: ${known.join(", ")})` : "; add an [[arms]] row with that id"}`,
    );
  }
  let spec: ReturnType<typeof armSpecsFromConfig>[number];
  try {
    [spec] = armSpecsFromConfig([row as Record<string, unknown>]) as [typeof spec];
  } catch (err) {
    throw setupError(err);
  }
  if (!spec.local && spec.contextWindow === undefined) {
    const window = await catalogContextWindow(spec.provider, spec.model, spec.baseURL);
    if (window) spec.contextWindow = window;
  }
  const apiKey = resolveApiKey(spec.provider as ProviderName, {
    ...(spec.apiKey ? { flag: spec.apiKey } : {}),
    env,
  });
  const provider = await armProvider({
    provider: spec.provider,
    local: spec.local,
    localServer: localServerSettings(config.local_server),
    toolUse: spec.toolUse,
    ...(spec.baseURL ? { baseURL: spec.baseURL } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(spec.provider === "embedded" ? { modelPath: spec.model, lazy: true } : {}),
    ...(spec.contextWindow ? { contextWindow: spec.contextWindow } : {}),
  });
  return handleFor(spec, provider);
}
