/** The secrets the agent holds: which values and names never reach a model or a command, and redacting input. */
import type { OwletConfig } from "../config/schema.ts";
import { API_KEY_ENV } from "../provider/ai-sdk/api-key-env.ts";
import { knownSecretsFromEnv, registerKnownSecrets } from "../tool/secrets/known.ts";
import { redactSecrets } from "../tool/secrets/redact.ts";

/**
 * Every API key owlet may send to a provider: `api_key` values in config (`--api-key` is layered in as
 * `provider.api_key`), in `[provider.<name>]` and `[[arms]]` rows, and the providers' key variables in `env`.
 * Commands never see them, under any name (see childEnv); models never see them (see registerAgentSecrets).
 */
export function providerKeys(config: OwletConfig, env: NodeJS.ProcessEnv): string[] {
  const keys: (string | undefined)[] = [config.provider.api_key];
  for (const entry of Object.values(config.provider))
    if (typeof entry === "object" && entry !== null && "api_key" in entry) keys.push(entry.api_key);
  for (const arm of config.arms) keys.push(arm.api_key);
  for (const name of providerKeyNames()) keys.push(env[name]);
  return keys.filter((k): k is string => typeof k === "string" && k !== "");
}

/** The environment variables that hold the providers' API keys (ANTHROPIC_API_KEY, OPENAI_API_KEY, …). */
export function providerKeyNames(): string[] {
  return Object.values(API_KEY_ENV).flat();
}

/**
 * Registers, process-wide, the values that must never reach a model (see registerKnownSecrets): the
 * secret-looking variables of `env` and every provider key of {@link providerKeys}.
 */
export function registerAgentSecrets(config: OwletConfig, env: NodeJS.ProcessEnv): void {
  registerKnownSecrets([
    ...knownSecretsFromEnv(env),
    ...providerKeys(config, env).map((value) => ({ value, rule: "provider-key" })),
  ]);
}

/**
 * `text` with its secrets redacted (see redactSecrets); when any were, `notify` gets one line saying how many,
 * from `what` ("the prompt", "the project docs") and by which rules. Never throws.
 */
export async function redactedInput(
  text: string,
  what: string,
  notify: (message: string) => void,
): Promise<string> {
  const r = await redactSecrets(text);
  if (r.count > 0)
    notify(
      `${r.count} secret${r.count === 1 ? "" : "s"} redacted from ${what} before sending it to the model (${r.rules.join(", ")})`,
    );
  return r.text;
}
