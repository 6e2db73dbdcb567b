/**
 * A problem with the agent's setup that the user can act on: a bad session id or a busy session, a missing
 * model file or API key, no model found, an arm that breaks `--local-only`. The message is phrased for the user
 * (no stack trace needed); print mode reports it as `owlet: <message>` and exits 2, as for a config error.
 */
export class AgentSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AgentSetupError";
  }
}

/** `err` as an AgentSetupError with its message (an AgentSetupError is returned as it is). */
export function setupError(err: unknown, prefix = ""): AgentSetupError {
  if (err instanceof AgentSetupError && prefix === "") return err;
  return new AgentSetupError(`${prefix}${err instanceof Error ? err.message : String(err)}`);
}
