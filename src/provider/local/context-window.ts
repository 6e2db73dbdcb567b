/**
 * Context-window resolution for an arm, and the `num_ctx` owlet asks Ollama for.
 */
import type { ProviderName } from "../types.ts";
import { type ProbeOptions, readLlamaCppProps, readLmStudioModels, readOllamaShow } from "./discovery.ts";

/**
 * Largest `num_ctx` (tokens) owlet ever asks Ollama for. Ollama allocates the KV cache for the whole
 * `num_ctx`, so asking for a model's full 128k on a small machine would exhaust memory; 32,768 is
 * gnoma's older default Ollama context (reference §3).
 */
export const OLLAMA_NUM_CTX_CAP = 32_768;

/** Smallest `num_ctx` (tokens) owlet asks Ollama for: Ollama's historical default of 2,048. */
export const OLLAMA_NUM_CTX_FLOOR = 2_048;

/**
 * Sizes Ollama's `num_ctx` for one request: `promptTokens + outputReserve` (tokens) rounded up to a
 * multiple of 1,024 (so small changes in history do not make Ollama reload the model with a new
 * context size every round), at least {@link OLLAMA_NUM_CTX_FLOOR}, and capped by the model's maximum
 * (`modelMax`, tokens, when known) and {@link OLLAMA_NUM_CTX_CAP}. Ollama silently truncates prompts
 * beyond `num_ctx`, so this must cover the whole request (aider sends request size + reply room the same way).
 */
export function ollamaNumCtx(args: {
  promptTokens: number;
  outputReserve: number;
  modelMax?: number;
}): number {
  const cap = Math.min(args.modelMax ?? OLLAMA_NUM_CTX_CAP, OLLAMA_NUM_CTX_CAP);
  const wanted = Math.ceil(Math.max(0, args.promptTokens + args.outputReserve) / 1024) * 1024;
  return Math.min(cap, Math.max(wanted, OLLAMA_NUM_CTX_FLOOR));
}

/** Inputs of {@link resolveContextWindow}. `flag` and `config` are token counts; `baseURL` the server's URL (any of origin, `/v1`, `/api`). */
export interface ResolveContextWindowArgs {
  flag?: number;
  config?: number;
  provider: ProviderName;
  baseURL?: string;
  model: string;
  /** Probe options (timeout per request in ms, default 600; injectable fetch). */
  probe?: ProbeOptions;
}

/** Default server root per local provider, used when no `baseURL` is given. */
const DEFAULT_ROOTS: Partial<Record<ProviderName, string>> = {
  llamacpp: "http://127.0.0.1:8080",
  ollama: "http://127.0.0.1:11434",
  lmstudio: "http://127.0.0.1:1234",
};

/**
 * The context window (tokens) to budget requests against, by precedence: `--context-window` flag →
 * config → what the server reports (llama.cpp `/props` `n_ctx`; Ollama `/api/show` context length,
 * capped by {@link OLLAMA_NUM_CTX_CAP} since that is the most owlet sends as `num_ctx`; LM Studio's
 * loaded (else maximum) context length) → undefined. Non-positive flag/config values are ignored.
 * Never throws: an unreachable server gives undefined.
 */
export async function resolveContextWindow(args: ResolveContextWindowArgs): Promise<number | undefined> {
  if (args.flag !== undefined && args.flag > 0) return Math.floor(args.flag);
  if (args.config !== undefined && args.config > 0) return Math.floor(args.config);
  const root = args.baseURL ?? DEFAULT_ROOTS[args.provider];
  if (root === undefined) return undefined;
  switch (args.provider) {
    case "llamacpp":
      return (await readLlamaCppProps(root, args.probe))?.nCtx;
    case "ollama": {
      const max = (await readOllamaShow(root, args.model, args.probe))?.contextLength;
      return max === undefined ? undefined : Math.min(max, OLLAMA_NUM_CTX_CAP);
    }
    case "lmstudio": {
      const m = (await readLmStudioModels(root, args.probe))?.find((x) => x.id === args.model);
      return m?.loadedContextLength ?? m?.maxContextLength;
    }
    default:
      return undefined;
  }
}
