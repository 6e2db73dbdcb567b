import { API_KEY_ENV, resolveApiKey as resolveFromEnv } from "../provider/ai-sdk/api-key-env.ts";
import type { ProviderName } from "../provider/types.ts";

/**
 * The environment variable names checked for `provider`'s API key, in order (empty for local providers and
 * `openai-compatible`: give those a key with `--api-key` or `api_key`). The table lives in the provider layer
 * (API_KEY_ENV).
 */
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
  return resolveFromEnv(provider, sources.flag || sources.config || undefined, sources.env);
}
