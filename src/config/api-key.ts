import type { ProviderName } from "../provider/types.ts";

/**
 * Environment variables holding each provider's API key, in lookup order. Local providers (llamacpp, ollama,
 * lmstudio, embedded) and `openai-compatible` have none: give those a key with `--api-key` or `api_key`.
 */
const API_KEY_ENV: Record<ProviderName, readonly string[]> = {
  openai: ["OPENAI_API_KEY"],
  anthropic: ["ANTHROPIC_API_KEY"],
  google: ["GOOGLE_GENERATIVE_AI_API_KEY", "GEMINI_API_KEY"],
  mistral: ["MISTRAL_API_KEY"],
  "openai-compatible": [],
  llamacpp: [],
  ollama: [],
  lmstudio: [],
  embedded: [],
};

/** The environment variable names checked for `provider`'s API key, in order (empty for local providers). */
export function apiKeyEnvNames(provider: ProviderName): string[] {
  return [...API_KEY_ENV[provider]];
}

/**
 * Resolves `provider`'s API key: the `--api-key` flag, then the config value (already `${VAR}`-expanded), then the
 * provider's environment variables ({@link apiKeyEnvNames}). Empty strings count as unset. Returns undefined when
 * nothing is set; the caller decides whether that is an error (it is not for local providers).
 */
export function resolveApiKey(
  provider: ProviderName,
  sources: { flag?: string; config?: string; env: NodeJS.ProcessEnv },
): string | undefined {
  if (sources.flag) return sources.flag;
  if (sources.config) return sources.config;
  for (const name of API_KEY_ENV[provider]) {
    const value = sources.env[name];
    if (value) return value;
  }
  return undefined;
}
