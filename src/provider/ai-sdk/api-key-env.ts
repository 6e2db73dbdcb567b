import type { ProviderName } from "../types.ts";

/**
 * Environment variables that hold each provider's API key, in lookup order (first set wins).
 * Names follow each vendor SDK's convention (the AI SDK reads `GOOGLE_GENERATIVE_AI_API_KEY` for Google;
 * gnoma §3 reads `GEMINI_API_KEY`). Local providers need no key: an empty list.
 */
export const API_KEY_ENV: Record<ProviderName, string[]> = {
  anthropic: ["ANTHROPIC_API_KEY"],
  openai: ["OPENAI_API_KEY"],
  google: ["GOOGLE_GENERATIVE_AI_API_KEY", "GEMINI_API_KEY"],
  mistral: ["MISTRAL_API_KEY"],
  "openai-compatible": [],
  llamacpp: [],
  ollama: [],
  lmstudio: [],
  embedded: [],
};

/** The API key for `name`: `explicit` if given, else the first non-empty variable of `API_KEY_ENV[name]`. */
export function resolveApiKey(
  name: ProviderName,
  explicit?: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  if (explicit) return explicit;
  for (const v of API_KEY_ENV[name]) {
    const value = env[v];
    if (value) return value;
  }
  return undefined;
}
