/** Names dropped from a child's environment: anything that looks like it holds a credential. */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL/i;

/** Options of {@link childEnv}. */
export interface ChildEnvOptions {
  /** Names to pass on although they match a secret-looking name (config `tools.env_allow`); exact, case-sensitive. */
  allow?: readonly string[];
  /** Values never passed on under any name (the provider keys in use, e.g. one given with `--api-key`). */
  secretValues?: readonly string[];
  /**
   * Names never passed on, even when in `allow`: the model providers' key variables (ANTHROPIC_API_KEY,
   * OPENAI_API_KEY, …), which the caller knows and this layer does not. Exact, case-sensitive.
   */
  deny?: readonly string[];
}

/**
 * A copy of `env` for the commands the model runs: without every variable whose name contains KEY, SECRET, TOKEN,
 * PASSWORD, PASSWD or CREDENTIAL (case-insensitive; GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, NPM_TOKEN, …) unless it is
 * in `allow`, without the names in `deny` (the providers' key variables) even when allowed, and without any variable whose
 * value contains one of `secretValues`. `env` is not modified. As Codex's shell environment policy
 * (`exclude = ["*KEY*", "*SECRET*", "*TOKEN*"]` by default).
 */
export function childEnv(env: NodeJS.ProcessEnv, options: ChildEnvOptions = {}): Record<string, string> {
  const allow = new Set(options.allow ?? []);
  const deny = new Set(options.deny ?? []);
  const secrets = (options.secretValues ?? []).filter((v) => v.length >= 8);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (deny.has(name)) continue;
    if (SECRET_NAME.test(name) && !allow.has(name)) continue;
    if (secrets.some((secret) => value.includes(secret))) continue;
    out[name] = value;
  }
  return out;
}
