import type { SecretMatch } from "./extra-rules.ts";

/** Values owlet knows are secret, each with the rule name its redaction shows. */
let known: { value: string; rule: string }[] = [];

/** Shortest value matched literally: shorter ones would redact ordinary words. */
const MIN_KNOWN_LENGTH = 8;

/**
 * Registers values that must never reach a model whatever their format: the provider keys owlet uses and the
 * values of its own secret-looking environment variables (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, …), so that a command
 * printing them (`cat /proc/$PPID/environ` outside a sandbox, a debug dump) is redacted as `[REDACTED:<rule>]`
 * (`provider-key`, `env:<NAME>`). Replaces the previous registration. Values under 8 characters are ignored.
 */
export function registerKnownSecrets(values: readonly { value: string; rule: string }[]): void {
  const seen = new Set<string>();
  known = values
    .filter((v) => v.value.length >= MIN_KNOWN_LENGTH && !seen.has(v.value) && seen.add(v.value))
    // Longest first, so a value containing another is matched whole.
    .sort((a, b) => b.value.length - a.value.length);
}

/**
 * The secret-looking variables of `env` (names containing KEY, SECRET, TOKEN, PASSWORD, PASSWD or CREDENTIAL, the
 * same test childEnv applies) as known secrets named `env:<NAME>`.
 */
export function knownSecretsFromEnv(env: NodeJS.ProcessEnv): { value: string; rule: string }[] {
  return Object.entries(env)
    .filter(
      ([name, value]) => value !== undefined && /KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL/i.test(name),
    )
    .map(([name, value]) => ({ value: value!, rule: `env:${name}` }));
}

/** Every occurrence of a registered value in `text`. */
export function findKnownSecrets(text: string): SecretMatch[] {
  const out: SecretMatch[] = [];
  for (const { value, rule } of known) {
    for (let i = text.indexOf(value); i !== -1; i = text.indexOf(value, i + value.length))
      out.push({ start: i, end: i + value.length, rule });
  }
  return out;
}
