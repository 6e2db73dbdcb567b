/**
 * Discovery of local model servers (llama.cpp, Ollama, LM Studio) on their default ports.
 *
 * Capability probing follows gnoma's router/slm probes (reference §3): llama.cpp `GET /props` →
 * `default_generation_settings.n_ctx` and `chat_template_caps.supports_tools && supports_tool_calls`;
 * Ollama `GET /api/tags` then `POST /api/show` per model → `capabilities` contains "tools" and
 * `model_info["<arch>.context_length"]`; LM Studio `GET /v1/models` (+ its REST `/api/v0/models` for
 * context lengths, best effort). Unlike gnoma's newest discovery, the Ollama probe always runs, so
 * startup-discovered Ollama models carry tool support and context (the gap noted in §3).
 */

/** The local server kinds owlet discovers. */
export type LocalServerKind = "llamacpp" | "ollama" | "lmstudio";

/** One model a local server offers. `contextWindow` in tokens; fields are absent when the server does not say. */
export interface DiscoveredModel {
  id: string;
  contextWindow?: number;
  toolUse?: boolean;
}

/** A local server that answered. `baseURL` is its OpenAI-compatible endpoint (ends with `/v1`). */
export interface DiscoveredServer {
  provider: LocalServerKind;
  baseURL: string;
  models: DiscoveredModel[];
}

/** Default origins (scheme + host + port), as the servers ship: llama-server 8080, Ollama 11434, LM Studio 1234. */
export const DEFAULT_LOCAL_ORIGINS: Readonly<Record<LocalServerKind, string>> = {
  llamacpp: "http://127.0.0.1:8080",
  ollama: "http://127.0.0.1:11434",
  lmstudio: "http://127.0.0.1:1234",
};

/** Default per-request probe timeout in ms: short, so absent servers cost little at start-up. */
export const DEFAULT_DISCOVERY_TIMEOUT_MS = 600;

/** Options shared by the probes. `timeoutMs` bounds each HTTP request (ms); `fetch` is injectable for tests. */
export interface ProbeOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Options of {@link discoverLocalServers}. `hosts` are base origins such as `http://127.0.0.1:8080`. */
export interface DiscoverOptions extends ProbeOptions {
  hosts?: { llamacpp?: string; ollama?: string; lmstudio?: string };
}

/**
 * Strips a trailing `/`, `/v1`, `/api` or `/api/v0` from a server URL, giving its origin-like root.
 * `http://h:1/v1/` → `http://h:1`. Any other path is kept.
 */
export function serverRoot(url: string): string {
  let u = url.trim().replace(/\/+$/, "");
  for (const suffix of ["/api/v0", "/v1", "/api"]) {
    if (u.endsWith(suffix)) {
      u = u.slice(0, -suffix.length);
      break;
    }
  }
  return u;
}

/**
 * GETs or POSTs JSON with a timeout; returns the parsed body, or undefined on any failure (refused
 * connection, timeout, non-2xx status, invalid JSON). Never throws.
 */
export async function fetchJson(
  url: string,
  opts: ProbeOptions & { body?: unknown } = {},
): Promise<unknown | undefined> {
  const doFetch = opts.fetch ?? fetch;
  try {
    const res = await doFetch(url, {
      method: opts.body === undefined ? "GET" : "POST",
      headers: opts.body === undefined ? undefined : { "content-type": "application/json" },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_DISCOVERY_TIMEOUT_MS),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      return undefined;
    }
    return await res.json();
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined;
}

/** What llama.cpp's `GET /props` tells: context size (tokens), native tool support, model file path. */
export interface LlamaCppProps {
  nCtx?: number;
  toolUse?: boolean;
  modelPath?: string;
}

/** Reads llama.cpp `GET <root>/props`; undefined when the server does not answer. */
export async function readLlamaCppProps(
  root: string,
  opts: ProbeOptions = {},
): Promise<LlamaCppProps | undefined> {
  const props = await fetchJson(`${serverRoot(root)}/props`, opts);
  if (!isRecord(props)) return undefined;
  const settings = isRecord(props.default_generation_settings) ? props.default_generation_settings : {};
  const caps = isRecord(props.chat_template_caps) ? props.chat_template_caps : undefined;
  return {
    nCtx: positiveInt(settings.n_ctx) ?? positiveInt(props.n_ctx),
    toolUse: caps ? caps.supports_tools === true && caps.supports_tool_calls === true : undefined,
    modelPath: typeof props.model_path === "string" ? props.model_path : undefined,
  };
}

/** Lists model ids from an OpenAI-compatible `GET <root>/v1/models`; undefined when it does not answer. */
export async function readOpenAiModelIds(
  root: string,
  opts: ProbeOptions = {},
): Promise<string[] | undefined> {
  const list = await fetchJson(`${serverRoot(root)}/v1/models`, opts);
  if (!isRecord(list) || !Array.isArray(list.data)) return undefined;
  return list.data.flatMap((m) => (isRecord(m) && typeof m.id === "string" ? [m.id] : []));
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** Probes a llama.cpp server at `root`; undefined when absent. One model (llama-server serves one). */
export async function probeLlamaCpp(
  root: string,
  opts: ProbeOptions = {},
): Promise<DiscoveredServer | undefined> {
  const r = serverRoot(root);
  const [props, ids] = await Promise.all([readLlamaCppProps(r, opts), readOpenAiModelIds(r, opts)]);
  if (!props) return undefined;
  const id = ids?.[0] ?? (props.modelPath ? baseName(props.modelPath) : "default");
  const model: DiscoveredModel = { id };
  if (props.nCtx !== undefined) model.contextWindow = props.nCtx;
  if (props.toolUse !== undefined) model.toolUse = props.toolUse;
  return { provider: "llamacpp", baseURL: `${r}/v1`, models: [model] };
}

/** What Ollama's `POST /api/show` tells about one model. `contextLength` is the model's maximum, in tokens. */
export interface OllamaModelInfo {
  contextLength?: number;
  /** True/false from `capabilities` ("tools"); undefined when the server lists no capabilities. */
  toolUse?: boolean;
  /** False for models without "completion" (embedding models); undefined when not listed. */
  completion?: boolean;
}

/** Reads Ollama `POST <root>/api/show` for one model; undefined when the server or model does not answer. */
export async function readOllamaShow(
  root: string,
  model: string,
  opts: ProbeOptions = {},
): Promise<OllamaModelInfo | undefined> {
  const show = await fetchJson(`${serverRoot(root)}/api/show`, { ...opts, body: { model } });
  if (!isRecord(show)) return undefined;
  const info = isRecord(show.model_info) ? show.model_info : {};
  const arch = typeof info["general.architecture"] === "string" ? info["general.architecture"] : undefined;
  let contextLength = arch ? positiveInt(info[`${arch}.context_length`]) : undefined;
  if (contextLength === undefined) {
    // Some architectures' keys differ from general.architecture; take any "*.context_length".
    for (const [k, v] of Object.entries(info)) {
      if (k.endsWith(".context_length") && positiveInt(v) !== undefined) {
        contextLength = positiveInt(v);
        break;
      }
    }
  }
  const caps = Array.isArray(show.capabilities)
    ? show.capabilities.filter((c) => typeof c === "string")
    : undefined;
  return {
    contextLength,
    toolUse: caps ? caps.includes("tools") : undefined,
    completion: caps ? caps.includes("completion") : undefined,
  };
}

/** Probes an Ollama server at `root`; undefined when absent. Embedding-only models are left out. */
export async function probeOllama(
  root: string,
  opts: ProbeOptions = {},
): Promise<DiscoveredServer | undefined> {
  const r = serverRoot(root);
  const tags = await fetchJson(`${r}/api/tags`, opts);
  if (!isRecord(tags) || !Array.isArray(tags.models)) return undefined;
  const names = tags.models.flatMap((m) =>
    isRecord(m) && typeof (m.name ?? m.model) === "string" ? [String(m.name ?? m.model)] : [],
  );
  const shows = await Promise.all(names.map((n) => readOllamaShow(r, n, opts)));
  const models: DiscoveredModel[] = [];
  names.forEach((id, i) => {
    const show = shows[i];
    if (show?.completion === false) return;
    const model: DiscoveredModel = { id };
    if (show?.contextLength !== undefined) model.contextWindow = show.contextLength;
    if (show?.toolUse !== undefined) model.toolUse = show.toolUse;
    models.push(model);
  });
  return { provider: "ollama", baseURL: `${r}/v1`, models };
}

/** What LM Studio's REST API (`/api/v0/models`) tells about one model. Context lengths in tokens. */
export interface LmStudioModelInfo {
  id: string;
  type?: string;
  maxContextLength?: number;
  loadedContextLength?: number;
  toolUse?: boolean;
}

function parseLmStudioModel(m: unknown): LmStudioModelInfo | undefined {
  if (!isRecord(m) || typeof m.id !== "string") return undefined;
  const caps = Array.isArray(m.capabilities) ? m.capabilities : undefined;
  return {
    id: m.id,
    type: typeof m.type === "string" ? m.type : undefined,
    maxContextLength: positiveInt(m.max_context_length),
    loadedContextLength: positiveInt(m.loaded_context_length),
    toolUse: caps ? caps.includes("tool_use") : undefined,
  };
}

/** Reads LM Studio `GET <root>/api/v0/models`; undefined when that API is absent. */
export async function readLmStudioModels(
  root: string,
  opts: ProbeOptions = {},
): Promise<LmStudioModelInfo[] | undefined> {
  const list = await fetchJson(`${serverRoot(root)}/api/v0/models`, opts);
  if (!isRecord(list) || !Array.isArray(list.data)) return undefined;
  return list.data.flatMap((m) => {
    const p = parseLmStudioModel(m);
    return p ? [p] : [];
  });
}

/** Probes an LM Studio server at `root`; undefined when absent. Embedding models are left out. */
export async function probeLmStudio(
  root: string,
  opts: ProbeOptions = {},
): Promise<DiscoveredServer | undefined> {
  const r = serverRoot(root);
  const [ids, rest] = await Promise.all([readOpenAiModelIds(r, opts), readLmStudioModels(r, opts)]);
  if (!ids) return undefined;
  const byId = new Map((rest ?? []).map((m) => [m.id, m]));
  const models: DiscoveredModel[] = [];
  for (const id of ids) {
    const info = byId.get(id);
    if (info?.type === "embeddings") continue;
    const model: DiscoveredModel = { id };
    const ctx = info?.loadedContextLength ?? info?.maxContextLength;
    if (ctx !== undefined) model.contextWindow = ctx;
    if (info?.toolUse !== undefined) model.toolUse = info.toolUse;
    models.push(model);
  }
  return { provider: "lmstudio", baseURL: `${r}/v1`, models };
}

/**
 * Probes llama.cpp, Ollama and LM Studio in parallel (each request bounded by `timeoutMs`, default
 * 600 ms) and returns the servers that answered, in the order llama.cpp, Ollama, LM Studio. An absent
 * or broken server is omitted; this never throws.
 */
export async function discoverLocalServers(opts: DiscoverOptions = {}): Promise<DiscoveredServer[]> {
  const probe: ProbeOptions = { timeoutMs: opts.timeoutMs, fetch: opts.fetch };
  const hosts = { ...DEFAULT_LOCAL_ORIGINS, ...stripUndefined(opts.hosts ?? {}) };
  const results = await Promise.all([
    probeLlamaCpp(hosts.llamacpp, probe).catch(() => undefined),
    probeOllama(hosts.ollama, probe).catch(() => undefined),
    probeLmStudio(hosts.lmstudio, probe).catch(() => undefined),
  ]);
  return results.filter((s): s is DiscoveredServer => s !== undefined);
}

function stripUndefined<T extends Record<string, string | undefined>>(
  o: T,
): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k as keyof T] = v;
  return out;
}
