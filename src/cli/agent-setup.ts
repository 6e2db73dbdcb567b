/** Flags → a ready agent, shared by print mode and the subcommands that run a model (`compact`, `init`, `undo`). */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Agent, AgentIO, AgentOptions } from "../agent/agent.ts";
import { createAgent } from "../agent/create-agent.ts";
import { AgentSetupError } from "../agent/errors.ts";
import { ConfigError } from "../config/errors.ts";
import { type LoadedConfig, loadConfig } from "../config/load.ts";
import { ttyAsker } from "../policy/index.ts";
import { ProviderError } from "../provider/errors.ts";
import {
  agentFlagOptions,
  flagOverrides,
  sessionChoice,
  untrustedWarning,
  withToolFlagRules,
} from "./agent-options.ts";
import { UserError } from "./exit-codes.ts";
import type { PrintOptions } from "./print-options.ts";

/** The agent a command runs with, its loaded config and the workspace (absolute). */
export interface CliAgent {
  agent: Agent;
  loaded: LoadedConfig;
  cwd: string;
}

/** The workspace `--cwd` names (default the current directory), absolute; UserError when it is not a directory. */
export function workspaceOf(opts: Pick<PrintOptions, "cwd">): string {
  const cwd = resolve(opts.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory())
    throw new UserError(`--cwd: no such directory: ${cwd}`);
  return cwd;
}

/**
 * Loads config for `cwd` with the flags layered in, warning once on stderr about an untrusted project's settings.
 * The tool flags (`--allowedTools`, `--disallowedTools`, `--tools`, Claude Code's rule syntax) become permission
 * rules after every file's: the command line is the user's own, the highest layer.
 */
export async function loadCliConfig(opts: PrintOptions, cwd: string): Promise<LoadedConfig> {
  const loaded = await loadConfig({
    cwd,
    ...(opts.config ? { configFile: opts.config } : {}),
    env: process.env,
    flags: flagOverrides(opts),
  });
  if (loaded.trust.ignored.length > 0) process.stderr.write(`owlet: warning: ${untrustedWarning(loaded)}\n`);
  return withToolFlagRules(loaded, opts);
}

/**
 * Builds the agent for a command from its flags: config (flags layered in), the session choice, the pinned arm,
 * `--local-only`, `--seed`, `--system` / `--system-prompt`, `--append-system-prompt`, `--no-session-persistence`,
 * and `extra` options (events, a tool filter, a stream-json host's prompts and asker…), which win over the flags.
 * Throws UserError, ConfigError, AgentSetupError or ProviderError for setup problems.
 */
export async function buildCliAgent(
  opts: PrintOptions,
  extra: Partial<AgentOptions> = {},
  cwd: string = workspaceOf(opts),
): Promise<CliAgent> {
  const loaded = await loadCliConfig(opts, cwd);
  const agent = await createAgent({
    config: loaded,
    cwd,
    io: terminalIO(),
    session: sessionChoice(opts),
    ...agentFlagOptions(opts),
    ...extra,
  });
  return { agent, loaded, cwd };
}

/**
 * The agent's view of this process: its environment, a prompt on the terminal when a person can answer (stdin
 * and stderr are TTYs), and notices on stderr as `owlet: <message>`.
 */
export function terminalIO(): AgentIO {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  return {
    env: process.env,
    ...(interactive ? { ask: ttyAsker(process.stdin, process.stderr) } : {}),
    notify: (message) => process.stderr.write(`owlet: ${message}\n`),
  };
}

/**
 * Runs a command, turning setup errors a user can act on (config, agent setup, a provider that cannot be built)
 * into UserError (printed as `owlet: …`, exit 2) so subcommands report them as print mode does.
 */
export async function withSetupErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof AgentSetupError) throw new UserError(err.message);
    if (err instanceof ProviderError) {
      throw new UserError(err.hint ? `${err.message}\nhint: ${err.hint}` : err.message);
    }
    throw err;
  }
}
