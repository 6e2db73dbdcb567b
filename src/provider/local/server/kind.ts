/**
 * Which kind of model server sits behind an OpenAI-compatible base URL, detected once per server root.
 *
 * Probes (each bounded by a short timeout, all in parallel; what each server documents):
 * - llama.cpp `llama-server`: `GET /props` answers an object with `default_generation_settings` (and
 *   `build_info`); the same probe discovery.ts uses.
 * - Ollama: `GET /api/version` answers `{"version": "0.x.y"}`.
 * - vLLM: `GET /version` answers `{"version": "0.x.y"}` (its OpenAI server's version route).
 * - LM Studio: `GET /api/v0/models` (its REST API) answers `{"data": [...]}`.
 * The first match in that order wins (llama.cpp, Ollama, vLLM, LM Studio); nothing matching is `unknown`,
 * which keeps today's behaviour (native tools, text-call parsing as fallback, no constraint).
 */
import { fetchJson, type ProbeOptions, serverRoot } from "../discovery.ts";

/** The local server kinds whose request extensions owlet knows. */
export type ServerKind = "llamacpp" | "ollama" | "vllm" | "lmstudio" | "unknown";

/** What detection found: the kind, and the server's version string when it reports one. */
export interface ServerInfo {
  kind: ServerKind;
  version?: string;
}

/** Probe timeout for kind detection, ms: longer than discovery's, as a busy CPU server answers slowly. */
export const DEFAULT_DETECT_TIMEOUT_MS = 2_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function versionOf(v: unknown): string | undefined {
  return isRecord(v) && typeof v.version === "string" ? v.version : undefined;
}

/**
 * Detects the server kind at `baseURL` (any of `http://h:p`, `…/v1`, `…/api`). Never throws: a server that
 * answers none of the probes is `{kind: "unknown"}`. Costs up to four GETs, at most `timeoutMs` each (default 2 s).
 */
export async function detectServerKind(baseURL: string, opts: ProbeOptions = {}): Promise<ServerInfo> {
  const root = serverRoot(baseURL);
  const probe = {
    timeoutMs: opts.timeoutMs ?? DEFAULT_DETECT_TIMEOUT_MS,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  };
  const [props, ollama, vllm, lmstudio] = await Promise.all([
    fetchJson(`${root}/props`, probe),
    fetchJson(`${root}/api/version`, probe),
    fetchJson(`${root}/version`, probe),
    fetchJson(`${root}/api/v0/models`, probe),
  ]);
  if (
    isRecord(props) &&
    (isRecord(props.default_generation_settings) || typeof props.build_info === "string")
  ) {
    const build = typeof props.build_info === "string" ? props.build_info : undefined;
    return build ? { kind: "llamacpp", version: build } : { kind: "llamacpp" };
  }
  const ollamaVersion = versionOf(ollama);
  if (ollamaVersion) return { kind: "ollama", version: ollamaVersion };
  const vllmVersion = versionOf(vllm);
  if (vllmVersion) return { kind: "vllm", version: vllmVersion };
  if (isRecord(lmstudio) && Array.isArray(lmstudio.data)) return { kind: "lmstudio" };
  return { kind: "unknown" };
}

/**
 * Remembers one detection per server root for the life of the process, so the probes run once per server
 * however many providers or rounds use it. A failed detection (`unknown`) is kept too: owlet then behaves
 * as before for that server. `clear()` forgets everything (tests).
 */
export class ServerKindCache {
  private readonly known = new Map<string, Promise<ServerInfo>>();

  /** The (possibly still running) detection for `baseURL`'s root. */
  get(baseURL: string, opts: ProbeOptions = {}): Promise<ServerInfo> {
    const root = serverRoot(baseURL);
    let info = this.known.get(root);
    if (!info) {
      info = detectServerKind(root, opts);
      this.known.set(root, info);
    }
    return info;
  }

  /** Forgets every detection. */
  clear(): void {
    this.known.clear();
  }
}

/** The process-wide cache the local-server provider uses by default. */
export const serverKinds = new ServerKindCache();

/**
 * Whether a vLLM version takes the `structured_outputs` request field (added in 0.10.2; the older
 * `guided_json` was removed in 0.12.0, per vLLM's structured-outputs docs). An unparsable version counts
 * as new.
 */
export function vllmHasStructuredOutputs(version: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? "");
  if (!m) return true;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (major !== 0) return major > 0;
  if (minor !== 10) return minor > 10;
  return patch >= 2;
}
