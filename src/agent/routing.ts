/**
 * The routing the agent hands the engine: one fixed arm, or the learning router over several (issue 4's arm
 * sources). The only module that decides which arms exist.
 */
import { apiKeyEnvNames, resolveApiKey } from "../config/api-key.ts";
import type { OwletConfig } from "../config/schema.ts";
import { FixedRouting } from "../engine/fixed-routing.ts";
import type { ArmHandle, RoutingPolicy } from "../engine/routing.ts";
import { discoverLocalServers } from "../provider/local/discovery.ts";
import { DEFAULT_EMBEDDED_CONTEXT } from "../provider/local/embedded-defaults.ts";
import { listCachedModels } from "../provider/local/models.ts";
import { catalogContextWindow } from "../provider/model-catalog.ts";
import type { Provider, ProviderName } from "../provider/types.ts";
import type { ArmSpec } from "../router/arm.ts";
import type { Router } from "../router/router.ts";
import type { AgentProgress } from "./agent.ts";
import { armProvider, localServerSettings } from "./arm-provider.ts";
import { AgentSetupError, setupError } from "./errors.ts";
import { resolvePrimaryArm } from "./primary-arm.ts";

/** Complexity ceiling of auto-added embedded arms (gnoma's SLM arm: MaxComplexity 0.3). */
const EMBEDDED_MAX_COMPLEXITY = 0.3;

/** Inputs of {@link buildRouting}. */
export interface RoutingSetup {
  config: OwletConfig;
  /** Workspace directory: relative model paths resolve against it. */
  cwd: string;
  /** Environment: API keys, the router state's default location. */
  env: NodeJS.ProcessEnv;
  /** Local arms only; learned state is then neither read nor written. */
  localOnly: boolean;
  /** Routing seed; overrides `[router] seed`. */
  seed?: number;
  /** True when --provider or --model was given on the command line: that arm is pinned. */
  pinned: boolean;
  /** One line for the user (an arm skipped, a model being downloaded, unreadable router state). */
  notify: (message: string) => void;
  /** Progress of a model download (see AgentIO.progress). */
  progress?: (update: AgentProgress) => void;
}

/** The routing policy for the engine, and the arm that will most likely serve (named in the session). */
export interface RoutingBuilt {
  policy: RoutingPolicy;
  primary: ArmHandle;
  /** Persists learned state (router only). */
  close?(): Promise<void>;
}

/**
 * Builds the routing. Without `[[arms]]` in config: one arm (flags → config → auto-selection, see
 * resolvePrimaryArm), fixed. With `[[arms]]`: the learning router (see {@link buildRouter}). Throws
 * AgentSetupError when no usable arm is found, or (local-only) the one arm is a cloud model; a ProviderError when
 * a provider cannot be built.
 */
export async function buildRouting(setup: RoutingSetup): Promise<RoutingBuilt> {
  if ((setup.config.arms ?? []).length > 0) return buildRouter(setup);
  const { handle } = await resolvePrimaryArm(
    setup.config,
    setup.cwd,
    setup.env,
    setup.notify,
    setup.progress,
  );
  if (setup.localOnly && !handle.local) {
    throw new AgentSetupError(
      `--local-only: the selected arm ${handle.id} is a cloud model; choose a local provider (llamacpp, ollama, lmstudio, embedded)`,
    );
  }
  return { policy: new FixedRouting(handle), primary: handle };
}

/**
 * Builds the learning router from `[[arms]]` in config, the local servers discovered right now, the cached GGUF
 * models (embedded arms for simple tasks), and — when --provider/--model was given — that arm, pinned (issue 4's
 * arm sources). A cloud arm without an API key is left out (with a notice). Learned state is loaded from and
 * saved to the user's config folder, except in local-only mode. Throws AgentSetupError for invalid `[[arms]]`
 * rows or when the router cannot be built (e.g. no arm left).
 */
async function buildRouter(setup: RoutingSetup): Promise<RoutingBuilt> {
  const { config, env, notify } = setup;
  // The router's modules load only when arms are configured: a one-arm run does not pay for them at start-up.
  const [{ armSpecsFromConfig, buildArms }, { SlmClassifier }, routerModule, stateStore] = await Promise.all([
    import("../router/arm.ts"),
    import("../router/classify/slm.ts"),
    import("../router/router.ts"),
    import("../router/state-store.ts"),
  ]);
  const { defaultRouterStatePath, loadRouterState, saveRouterState } = stateStore;
  let specs: ArmSpec[];
  try {
    specs = armSpecsFromConfig((config.arms ?? []) as Record<string, unknown>[]);
  } catch (err) {
    throw setupError(err);
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
    const { handle } = await resolvePrimaryArm(config, setup.cwd, env, notify, setup.progress);
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
  for (const spec of specs) {
    // Cloud arms without a configured window get the catalogue's (models.dev), so the budget applies to them.
    if (!spec.local && spec.contextWindow === undefined) {
      const window = await catalogContextWindow(spec.provider, spec.model, spec.baseURL);
      if (window) spec.contextWindow = window;
    }
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
      notify(
        `arm "${spec.id}" skipped: no API key (set ${keyVars.join(" or ")}, or api_key in its [[arms]] row)`,
      );
      specs.splice(specs.indexOf(spec), 1);
      continue;
    }
    providers.set(
      spec.id,
      await armProvider({
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
  const state = persist ? await loadRouterState(statePath, notify) : undefined;
  // `[router] classifier = "slm"`: the first local arm classifies prompts (2 s limit, heuristic fallback).
  const classifierArm =
    config.router.classifier === "slm" ? arms.find((a) => a.local && !a.disabled) : undefined;
  if (config.router.classifier === "slm" && !classifierArm) {
    notify('[router] classifier = "slm" needs a local arm; using the heuristic classifier');
  }
  let router: Router;
  try {
    router = new routerModule.Router({
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
    throw setupError(err);
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
