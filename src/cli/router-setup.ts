import { apiKeyEnvNames, resolveApiKey } from "../config/api-key.ts";
import { discoverLocalServers } from "../provider/local/discovery.ts";
import { DEFAULT_EMBEDDED_CONTEXT } from "../provider/local/embedded-defaults.ts";
import { listCachedModels } from "../provider/local/models.ts";
import type { Provider, ProviderName } from "../provider/types.ts";
import { type ArmSpec, armSpecsFromConfig, buildArms } from "../router/arm.ts";
import { SlmClassifier } from "../router/classify/slm.ts";
import { Router } from "../router/router.ts";
import { defaultRouterStatePath, loadRouterState, saveRouterState } from "../router/state-store.ts";
import { UserError } from "./exit-codes.ts";
import { localServerSettings, providerFor } from "./provider-for.ts";
import { resolvePrimaryArm } from "./resolve-arm.ts";
import type { RoutingBuilt, RoutingSetup } from "./routing-setup.ts";

/** Complexity ceiling of auto-added embedded arms (gnoma's SLM arm: MaxComplexity 0.3). */
const EMBEDDED_MAX_COMPLEXITY = 0.3;

/**
 * Builds the learning router for print mode from `[[arms]]` in config, the local servers discovered right
 * now, the cached GGUF models (embedded, loaded only if chosen), and — when --provider/--model was given — that arm, pinned (issue 4's arm sources). Learned state is
 * loaded from and saved to the user's config folder, except in local-only mode.
 */
export async function buildRouter(setup: RoutingSetup): Promise<RoutingBuilt> {
  const { config, env } = setup;
  let specs: ArmSpec[];
  try {
    specs = armSpecsFromConfig((config.arms ?? []) as Record<string, unknown>[]);
  } catch (err) {
    throw new UserError(err instanceof Error ? err.message : String(err));
  }
  const known = new Set(specs.map((s) => s.id));
  for (const server of await discoverLocalServers()) {
    for (const model of server.models) {
      const id = `${server.provider}/${model.id}`;
      if (known.has(id)) continue;
      known.add(id);
      specs.push({
        id,
        provider: server.provider,
        model: model.id,
        baseURL: server.baseURL,
        local: true,
        toolUse: model.toolUse ?? true,
        ...(model.contextWindow ? { contextWindow: model.contextWindow } : {}),
        strengths: [],
        costWeight: 1,
      });
    }
  }
  // Cached GGUF models become embedded arms, as gnoma's SLM arm: local, for simple tasks (complexity ≤ 0.3).
  for (const cached of await listCachedModels()) {
    const id = `embedded/${cached.name}`;
    if (known.has(id)) continue;
    known.add(id);
    specs.push({
      id,
      provider: "embedded",
      model: cached.path,
      local: true,
      toolUse: true,
      contextWindow: DEFAULT_EMBEDDED_CONTEXT,
      maxComplexity: EMBEDDED_MAX_COMPLEXITY,
      strengths: [],
      costWeight: 1,
    });
  }
  const providers = new Map<string, Provider>();
  if (setup.pinned) {
    const { handle } = await resolvePrimaryArm(config, setup.cwd, env);
    const existing = specs.find((s) => s.id === handle.id);
    if (existing) existing.forced = true;
    else {
      specs.push({
        id: handle.id,
        provider: handle.provider.name,
        model: handle.model,
        local: handle.local,
        toolUse: handle.toolUse ?? true,
        ...(handle.contextWindow ? { contextWindow: handle.contextWindow } : {}),
        strengths: [],
        costWeight: 1,
        forced: true,
      });
    }
    providers.set(handle.id, handle.provider);
  }
  for (const spec of [...specs]) {
    if (providers.has(spec.id)) continue;
    const apiKey = resolveApiKey(spec.provider as ProviderName, {
      ...(spec.apiKey ? { flag: spec.apiKey } : {}),
      env,
    });
    // A cloud arm without credentials would only fail and teach the router a false lesson: leave it out.
    const keyVars = apiKeyEnvNames(spec.provider);
    if (!spec.local && keyVars.length > 0 && !apiKey) {
      process.stderr.write(
        `owlet: arm "${spec.id}" skipped: no API key (set ${keyVars.join(" or ")}, or api_key in its [[arms]] row)\n`,
      );
      specs.splice(specs.indexOf(spec), 1);
      continue;
    }
    providers.set(
      spec.id,
      await providerFor({
        provider: spec.provider,
        local: spec.local,
        localServer: localServerSettings(config.local_server),
        toolUse: spec.toolUse,
        ...(spec.baseURL ? { baseURL: spec.baseURL } : {}),
        ...(apiKey ? { apiKey } : {}),
        ...(spec.provider === "embedded" ? { modelPath: spec.model, lazy: true } : {}),
        ...(spec.contextWindow ? { contextWindow: spec.contextWindow } : {}),
      }),
    );
  }
  const arms = buildArms(specs, (spec) => providers.get(spec.id)!);
  const persist = !setup.localOnly;
  const statePath = config.router.state_path ?? defaultRouterStatePath(env);
  const state = persist
    ? await loadRouterState(statePath, (msg) => process.stderr.write(`owlet: ${msg}\n`))
    : undefined;
  // `[router] classifier = "slm"`: the first local arm classifies prompts (2 s limit, heuristic fallback).
  const classifierArm =
    config.router.classifier === "slm" ? arms.find((a) => a.local && !a.disabled) : undefined;
  if (config.router.classifier === "slm" && !classifierArm) {
    process.stderr.write(
      'owlet: [router] classifier = "slm" needs a local arm; using the heuristic classifier\n',
    );
  }
  let router: Router;
  try {
    router = new Router({
      arms,
      ...(classifierArm
        ? {
            classifier: new SlmClassifier({
              provider: classifierArm.handle.provider,
              model: classifierArm.model,
            }),
          }
        : {}),
      localOnly: setup.localOnly,
      ...(setup.seed !== undefined
        ? { seed: setup.seed }
        : config.router.seed !== undefined
          ? { seed: config.router.seed }
          : {}),
      ...(state ? { state } : {}),
    });
  } catch (err) {
    throw new UserError(err instanceof Error ? err.message : String(err));
  }
  const primary = arms.find((a) => a.forced) ?? arms[0]!;
  return {
    policy: router,
    primary: primary.handle,
    close: async () => {
      if (persist) await saveRouterState(statePath, router.snapshot());
    },
  };
}
