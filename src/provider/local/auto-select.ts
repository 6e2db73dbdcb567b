/**
 * Picks a provider and model when the user named none (issue 3, "Embedded runtime"): configured
 * provider → running local servers → API keys in the environment → a cached GGUF → a clear error.
 */
import { API_KEY_ENV } from "../ai-sdk/api-key-env.ts";
import type { ProviderName } from "../types.ts";
import {
  type DiscoveredModel,
  type DiscoveredServer,
  type LocalServerKind,
  probeLlamaCpp,
  probeLmStudio,
  probeOllama,
} from "./discovery.ts";
import { type CachedModel, DEFAULT_MODEL_NAME, modelsDir } from "./models.ts";

/**
 * Default model per cloud provider when only an API key is known, as in gnoma's README (reference §3):
 * Anthropic `claude-sonnet-4-6`, OpenAI `gpt-5.5`, Gemini `gemini-3.5-flash`, Mistral `mistral-large-latest`.
 */
export const DEFAULT_CLOUD_MODELS: Readonly<Record<"anthropic" | "openai" | "google" | "mistral", string>> = {
  anthropic: "claude-sonnet-4-6",
  openai: "gpt-5.5",
  google: "gemini-3.5-flash",
  mistral: "mistral-large-latest",
};

/** Order in which environment API keys are tried. */
const CLOUD_ORDER = ["anthropic", "openai", "google", "mistral"] as const;

/**
 * The chosen provider and model. `baseURL` is set for local servers (OpenAI-compatible, ends `/v1`),
 * `modelPath` for the embedded runtime; `source` says in one line why this was chosen.
 */
export interface AutoSelection {
  provider: ProviderName;
  model: string;
  baseURL?: string;
  modelPath?: string;
  /** Context window in tokens when discovery reported one. */
  contextWindow?: number;
  /** Native tool support when discovery reported it. */
  toolUse?: boolean;
  source: string;
}

/** Inputs of {@link autoSelectProvider}. `discover` and `cachedModels` are called lazily, only when reached. */
export interface AutoSelectOptions {
  configured?: { provider: ProviderName; model?: string; baseURL?: string; modelPath?: string };
  env: Record<string, string | undefined>;
  discover: () => Promise<DiscoveredServer[]>;
  cachedModels: () => Promise<CachedModel[]>;
  /**
   * Probes one local server at a configured `baseURL` (used when a local provider is configured with a
   * base URL but no model, since `discover` only looks at the default ports). Default: discovery.ts's
   * `probeLlamaCpp` / `probeOllama` / `probeLmStudio`, which never throw.
   */
  probe?: (provider: LocalServerKind, baseURL: string) => Promise<DiscoveredServer | undefined>;
}

function defaultProbe(provider: LocalServerKind, baseURL: string): Promise<DiscoveredServer | undefined> {
  if (provider === "llamacpp") return probeLlamaCpp(baseURL);
  if (provider === "ollama") return probeOllama(baseURL);
  return probeLmStudio(baseURL);
}

/**
 * Thrown when no provider can be found. The message names what was tried and gives three ways to get
 * a model: (1) `owlet models pull`, (2) start a local server, (3) set an API key or pass
 * `--provider/--api-key`. The CLI prints the message (no stack) and exits with {@link exitCode} 2.
 */
export class NoProviderError extends Error {
  readonly exitCode = 2;
  constructor(cacheDir: string = modelsDir()) {
    super(
      [
        "owlet found no model to use: no provider is configured, no local server answered " +
          "(llama.cpp on :8080, Ollama on :11434, LM Studio on :1234), no API key is set in the environment, " +
          `and no GGUF model is cached in ${cacheDir}.`,
        "Get one in any of these three ways:",
        `  1. Download a small local model: run \`owlet models pull\` (default ${DEFAULT_MODEL_NAME}), then run owlet again` +
          " (or use a GGUF file you have: --provider embedded --model /path/to/file.gguf).",
        "  2. Start a local server: `llama-server -m model.gguf`, `ollama serve` (with a pulled model), or LM Studio's server.",
        "  3. Use a cloud API: set ANTHROPIC_API_KEY, OPENAI_API_KEY, GEMINI_API_KEY or MISTRAL_API_KEY, " +
          "or pass --provider NAME --api-key KEY.",
      ].join("\n"),
    );
    this.name = "NoProviderError";
  }
}

const LOCAL_SERVERS: ReadonlySet<ProviderName> = new Set(["llamacpp", "ollama", "lmstudio"]);

function fromServer(server: DiscoveredServer, model: DiscoveredModel, source: string): AutoSelection {
  const sel: AutoSelection = { provider: server.provider, model: model.id, baseURL: server.baseURL, source };
  if (model.contextWindow !== undefined) sel.contextWindow = model.contextWindow;
  if (model.toolUse !== undefined) sel.toolUse = model.toolUse;
  return sel;
}

/** Picks a model across servers: the first tool-capable one, else the first model of the first server that has one. */
function pickLocal(servers: DiscoveredServer[]): AutoSelection | undefined {
  for (const s of servers) {
    const m = s.models.find((x) => x.toolUse === true);
    if (m)
      return fromServer(s, m, `running ${s.provider} server at ${s.baseURL} (model ${m.id} supports tools)`);
  }
  for (const s of servers) {
    const m = s.models[0];
    if (m) return fromServer(s, m, `running ${s.provider} server at ${s.baseURL} (first model ${m.id})`);
  }
  return undefined;
}

/** The default recommended model when cached, else the first listed (listCachedModels ranks recommended models first). */
function pickCached(cached: CachedModel[]): CachedModel | undefined {
  return cached.find((m) => m.name === DEFAULT_MODEL_NAME) ?? cached[0];
}

function envKeySet(env: Record<string, string | undefined>, provider: ProviderName): string | undefined {
  return API_KEY_ENV[provider].find((v) => (env[v] ?? "").trim() !== "");
}

/**
 * Resolves the provider to use, trying in order: the configured provider (its model, else a discovered
 * or cached one, else the provider's default; a local provider configured with a base URL takes its
 * model from that server via `probe`) → running local servers (prefer a tool-capable model) →
 * API keys in `env` (Anthropic, OpenAI, Google, Mistral) → a cached GGUF (the default recommended model
 * first) for the embedded runtime. Throws {@link NoProviderError} when none is found; a configured
 * embedded provider with no model path and no cached model throws it too.
 */
export async function autoSelectProvider(opts: AutoSelectOptions): Promise<AutoSelection> {
  const c = opts.configured;
  if (c) return resolveConfigured(c, opts);

  const local = pickLocal(await opts.discover());
  if (local) return local;

  for (const p of CLOUD_ORDER) {
    const v = envKeySet(opts.env, p);
    if (v) return { provider: p, model: DEFAULT_CLOUD_MODELS[p], source: `${v} is set in the environment` };
  }

  const cached = pickCached(await opts.cachedModels());
  if (cached) {
    return {
      provider: "embedded",
      model: cached.name,
      modelPath: cached.path,
      source: `cached model ${cached.path}`,
    };
  }
  throw new NoProviderError();
}

async function resolveConfigured(
  c: NonNullable<AutoSelectOptions["configured"]>,
  opts: AutoSelectOptions,
): Promise<AutoSelection> {
  const base = { provider: c.provider, source: `configured provider ${c.provider}` };
  const withUrl = c.baseURL !== undefined ? { baseURL: c.baseURL } : {};
  if (c.provider === "embedded") {
    if (c.modelPath) return { ...base, model: c.model ?? c.modelPath, modelPath: c.modelPath };
    const cached = pickCached(await opts.cachedModels());
    if (!cached) throw new NoProviderError();
    return {
      ...base,
      model: cached.name,
      modelPath: cached.path,
      source: `${base.source}, cached model ${cached.path}`,
    };
  }
  if (c.model) return { ...base, ...withUrl, model: c.model };
  if (LOCAL_SERVERS.has(c.provider)) {
    // With a configured base URL the model must come from that server, not from one on a default port.
    const kind = c.provider as LocalServerKind;
    const servers =
      c.baseURL !== undefined
        ? [await (opts.probe ?? defaultProbe)(kind, c.baseURL).catch(() => undefined)].filter(
            (s): s is DiscoveredServer => s !== undefined,
          )
        : (await opts.discover()).filter((s) => s.provider === c.provider);
    const found = pickLocal(servers);
    if (found) return { ...found, ...withUrl, source: `${base.source}, ${found.source}` };
    return { ...base, ...withUrl, model: "default" };
  }
  const cloud = DEFAULT_CLOUD_MODELS[c.provider as keyof typeof DEFAULT_CLOUD_MODELS];
  if (cloud) return { ...base, ...withUrl, model: cloud };
  return { ...base, ...withUrl, model: "default" };
}
