/**
 * `owlet providers`: what owlet can use on this machine — running local servers with their models,
 * which cloud API-key variables are set (names only, never values), and cached GGUF models.
 */
import { API_KEY_ENV } from "../../provider/ai-sdk/api-key-env.ts";
import { type DiscoveredServer, discoverLocalServers } from "../../provider/local/discovery.ts";
import { type CachedModel, listCachedModels, modelsDir } from "../../provider/local/models.ts";
import { formatBytes } from "./models.ts";

/** One cloud API-key variable and whether it is set (non-empty). Never carries the value. */
export interface ApiKeyStatus {
  provider: string;
  variable: string;
  set: boolean;
}

/** The report `owlet providers --json` prints. */
export interface ProvidersReport {
  localServers: DiscoveredServer[];
  apiKeys: ApiKeyStatus[];
  cacheDir: string;
  cachedModels: CachedModel[];
}

/** Options of {@link runProvidersCommand}; `discover`, `env`, `cachedModels` and `cacheDir` are injectable for tests. */
export interface ProvidersCommandOptions {
  json?: boolean;
  out: NodeJS.WritableStream;
  discover?: () => Promise<DiscoveredServer[]>;
  env?: Record<string, string | undefined>;
  cachedModels?: () => Promise<CachedModel[]>;
  cacheDir?: string;
}

const LABELS: Record<string, string> = { llamacpp: "llama.cpp", ollama: "Ollama", lmstudio: "LM Studio" };

/** Lists every cloud API-key variable owlet reads and whether it is set (non-blank) in `env`. */
export function apiKeyStatus(env: Record<string, string | undefined>): ApiKeyStatus[] {
  return Object.entries(API_KEY_ENV).flatMap(([provider, vars]) =>
    vars.map((variable) => ({ provider, variable, set: (env[variable] ?? "").trim() !== "" })),
  );
}

/** Renders the report as human-readable text lines. */
export function formatProvidersReport(r: ProvidersReport): string {
  const lines: string[] = ["Local servers:"];
  if (r.localServers.length === 0) {
    lines.push("  none found (llama.cpp :8080, Ollama :11434, LM Studio :1234)");
  }
  for (const s of r.localServers) {
    lines.push(`  ${LABELS[s.provider] ?? s.provider}  ${s.baseURL}`);
    if (s.models.length === 0) lines.push("    (no models)");
    for (const m of s.models) {
      const ctx = m.contextWindow !== undefined ? `context ${m.contextWindow}` : "context ?";
      const tools = m.toolUse === undefined ? "tools ?" : m.toolUse ? "tools yes" : "tools no";
      lines.push(`    ${m.id}  ${ctx}  ${tools}`);
    }
  }
  lines.push("Cloud API keys:");
  for (const k of r.apiKeys) lines.push(`  ${k.variable}  ${k.set ? "set" : "not set"}  (${k.provider})`);
  lines.push(`Cached models (${r.cacheDir}):`);
  if (r.cachedModels.length === 0) lines.push("  none (run `owlet models pull`)");
  for (const m of r.cachedModels) lines.push(`  ${m.name}  ${formatBytes(m.sizeBytes)}  ${m.path}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Runs `owlet providers`: discovers local servers, checks API-key variables and lists cached models,
 * then prints text (or JSON with `json`). Returns exit code 0; discovery never fails.
 */
export async function runProvidersCommand(opts: ProvidersCommandOptions): Promise<number> {
  const cacheDir = opts.cacheDir ?? modelsDir();
  const [localServers, cachedModels] = await Promise.all([
    (opts.discover ?? (() => discoverLocalServers()))(),
    (opts.cachedModels ?? (() => listCachedModels(cacheDir)))(),
  ]);
  const report: ProvidersReport = {
    localServers,
    apiKeys: apiKeyStatus(opts.env ?? process.env),
    cacheDir,
    cachedModels,
  };
  opts.out.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatProvidersReport(report));
  return 0;
}
