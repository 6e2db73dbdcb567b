/**
 * `owlet models list` and `owlet models pull [name]`: the embedded runtime's model cache.
 */
import {
  type CachedModel,
  DEFAULT_MODEL_NAME,
  listCachedModels,
  ModelHostUnreachableError,
  modelDirs,
  modelsDir,
  type PullOptions,
  type PullProgress,
  pullModel,
  RECOMMENDED_MODELS,
  UnknownModelError,
} from "../../provider/local/models.ts";

/** Formats a byte count in decimal (SI) units: 1_120_000_000 → "1.1 GB". */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(0)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

/**
 * Renders a single-line progress bar (no trailing newline), e.g. `[#######-------------]  35%  392 MB / 1.1 GB`.
 * With an unknown total (0) it shows only the downloaded size. `width` is the bar width in characters.
 */
export function renderProgressBar(p: PullProgress, width = 30): string {
  if (p.totalBytes <= 0) return `[${" ".repeat(width)}]  ${formatBytes(p.downloadedBytes)}`;
  const frac = Math.min(1, Math.max(0, p.downloadedBytes / p.totalBytes));
  const filled = Math.round(frac * width);
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${pct}  ${formatBytes(p.downloadedBytes)} / ${formatBytes(p.totalBytes)}`;
}

/** Options of {@link runModelsList}; `dir` defaults to the cache directories (pulled and test models). */
export interface ModelsListOptions {
  dir?: string;
}

/**
 * Prints the cached models (name, size, path) and the catalogue of pullable models (marking which are
 * cached). Returns exit code 0.
 */
export async function runModelsList(
  out: NodeJS.WritableStream,
  opts: ModelsListOptions = {},
): Promise<number> {
  const dirs = opts.dir ? [opts.dir] : modelDirs();
  const cached: CachedModel[] = await listCachedModels(dirs);
  const lines = [`Cached models (${dirs.join(", ")}):`];
  if (cached.length === 0) lines.push("  none");
  for (const m of cached) lines.push(`  ${m.name}  ${formatBytes(m.sizeBytes)}  ${m.path}`);
  lines.push("Available to pull (owlet models pull <name>):");
  for (const m of RECOMMENDED_MODELS) {
    const tags = [
      m.name === DEFAULT_MODEL_NAME ? "default" : "",
      cached.some((c) => c.name === m.name) ? "cached" : "",
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(
      `  ${m.name}  ~${formatBytes(m.approxSizeBytes)}${tags ? `  (${tags})` : ""}  ${m.description}`,
    );
  }
  out.write(`${lines.join("\n")}\n`);
  return 0;
}

/** Options of {@link runModelsPull}: output streams, plus injectable pull options and pull function for tests. */
export interface ModelsPullOptions {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  pull?: PullOptions;
  pullFn?: typeof pullModel;
}

/**
 * Runs `owlet models pull [name]`: downloads the model with a `\r` progress bar on `err`, then prints
 * its path on `out`. Exit codes: 0 ok (also when already cached), 1 the download failed midway, 2 the host
 * cannot be reached or the name is unknown (the message says what to do, or lists the valid names).
 */
export async function runModelsPull(name: string | undefined, opts: ModelsPullOptions): Promise<number> {
  const pull = opts.pullFn ?? pullModel;
  let drew = false;
  let last = "";
  try {
    const path = await pull(name, {
      ...opts.pull,
      onProgress: (p) => {
        const line = renderProgressBar(p);
        if (line === last) return;
        last = line;
        drew = true;
        opts.err.write(`\r${line}`);
      },
    });
    if (drew) opts.err.write("\n");
    opts.out.write(`${path}\n`);
    return 0;
  } catch (e) {
    if (drew) opts.err.write("\n");
    if (e instanceof UnknownModelError) {
      opts.err.write(`owlet: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ModelHostUnreachableError) {
      // An unreachable endpoint is exit 2, as everywhere in owlet (the user's network or settings, not a failure mid-way).
      opts.err.write(`owlet: ${e.message}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    opts.err.write(
      `owlet: model download failed: ${msg}\nRetry \`owlet models pull\`, or use a local file with --model /path/to/file.gguf.\n`,
    );
    return 1;
  }
}
