/**
 * Config → the Provider of one arm: the provider layer's builder with the decorators every arm gets, and the
 * `[local_server]` settings it needs.
 */
import type { OwletConfig } from "../config/schema.ts";
import { buildProvider, type ProviderDecorator, type ProviderSpec } from "../provider/build.ts";
import type { LocalServerSettings } from "../provider/local/server/provider.ts";
import { textToolCalls } from "../provider/textcalls/decorator.ts";
import type { Provider } from "../provider/types.ts";

/** The decorators every arm's provider gets, innermost first: the text tool-call layer (see textToolCalls). */
export const ARM_DECORATORS: readonly ProviderDecorator[] = [textToolCalls];

/** The Provider for an arm: buildProvider with {@link ARM_DECORATORS}. Throws as buildProvider does. */
export function armProvider(spec: ProviderSpec): Promise<Provider> {
  return buildProvider(spec, ARM_DECORATORS);
}

/** `[local_server]` config → the local-server provider's settings (unset keys keep the provider's defaults). */
export function localServerSettings(c: OwletConfig["local_server"]): LocalServerSettings {
  const caps = {
    ...(c.max_tokens_select ? { select: c.max_tokens_select } : {}),
    ...(c.max_tokens_call ? { call: c.max_tokens_call } : {}),
    ...(c.max_tokens_write ? { write: c.max_tokens_write } : {}),
    ...(c.max_tokens_answer ? { answer: c.max_tokens_answer } : {}),
  };
  return {
    caps,
    ...(c.constrain !== undefined ? { constrain: c.constrain } : {}),
    ...(c.cache_prompt !== undefined ? { cachePrompt: c.cache_prompt } : {}),
    ...(c.generation_seconds !== undefined ? { generationSeconds: c.generation_seconds } : {}),
    ...(c.min_tokens_per_second !== undefined ? { minTokensPerSecond: c.min_tokens_per_second } : {}),
  };
}

/** Whether `baseURL` is one of `[local_server] base_urls` (compared without trailing `/` or `/v1`). */
export function isConfiguredLocal(baseURL: string | undefined, c: OwletConfig["local_server"]): boolean {
  if (!baseURL || !c.base_urls) return false;
  const norm = (u: string) => u.trim().replace(/\/+$/, "").replace(/\/v1$/, "");
  return c.base_urls.some((u) => norm(u) === norm(baseURL));
}
