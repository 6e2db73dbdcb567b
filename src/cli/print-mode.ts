import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Agent, AgentIO } from "../agent/agent.ts";
import { createAgent } from "../agent/create-agent.ts";
import { AgentSetupError } from "../agent/errors.ts";
import type { SessionChoice } from "../agent/sessions.ts";
import { ConfigError } from "../config/errors.ts";
import { type LoadedConfig, loadConfig } from "../config/load.ts";
import type { TurnResult } from "../engine/turn-result.ts";
import { findSlashCommand } from "../extension/commands/slash.ts";
import { ttyAsker } from "../policy/index.ts";
import { ProviderError } from "../provider/errors.ts";
import { EXIT, UserError } from "./exit-codes.ts";
import { setHttpTimeouts } from "./http-timeouts.ts";
import { JsonRenderer } from "./output/json-renderer.ts";
import type { Renderer, RenderTarget } from "./output/renderer.ts";
import { StreamJsonRenderer } from "./output/stream-json-renderer.ts";
import { TextRenderer } from "./output/text-renderer.ts";
import type { PrintOptions } from "./print-options.ts";
import { readPrompt, stdinIsPipedInput } from "./read-prompt.ts";

/** After Ctrl-C, the longest owlet waits for the turn to wind down before exiting anyway (130), ms. */
const FORCED_EXIT_MS = 900;

/**
 * Print mode (`owlet -p "PROMPT"`): one turn, non-interactively, as a thin client of createAgent: reads the
 * prompt, loads config with the flags layered in, builds the agent, runs one turn and renders its events and
 * result in the chosen output format.
 * Returns the exit code: 0 success, 1 the turn failed, 2 usage/config/credentials/endpoint, 130 interrupted.
 * User errors never print a stack trace.
 */
export async function runPrintMode(words: string[], opts: PrintOptions): Promise<number> {
  const target: RenderTarget = { out: process.stdout, err: process.stderr, verbose: opts.verbose === true };
  const renderer = makeRenderer(opts.outputFormat, target);
  try {
    return await run(words, opts, renderer);
  } catch (err) {
    if (err instanceof UserError || err instanceof ConfigError || err instanceof AgentSetupError) {
      renderer.error(err.message);
      return err instanceof UserError ? err.exitCode : EXIT.usage;
    }
    // A provider that cannot even be built (e.g. openai-compatible without a base URL) is a setup error.
    if (err instanceof ProviderError) {
      renderer.error(err.hint ? `${err.message}\nhint: ${err.hint}` : err.message);
      return EXIT.usage;
    }
    throw err;
  }
}

function makeRenderer(format: PrintOptions["outputFormat"], target: RenderTarget): Renderer {
  if (format === "json") return new JsonRenderer(target);
  if (format === "stream-json") return new StreamJsonRenderer(target);
  return new TextRenderer(target);
}

/**
 * The run itself: flags → agent options, the agent's events → `renderer`, the turn's outcome → the exit code.
 * Throws UserError, ConfigError, AgentSetupError or ProviderError for setup problems (see runPrintMode).
 */
async function run(words: string[], opts: PrintOptions, renderer: Renderer): Promise<number> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory())
    throw new UserError(`--cwd: no such directory: ${cwd}`);
  const prompt = await readPrompt(opts.print, words, process.stdin, stdinIsPipedInput());
  const loaded = await loadConfig({
    cwd,
    ...(opts.config ? { configFile: opts.config } : {}),
    env: process.env,
    flags: flagOverrides(opts),
  });
  if (loaded.trust.ignored.length > 0) process.stderr.write(`owlet: warning: ${untrustedWarning(loaded)}\n`);
  const agent = await createAgent({
    config: loaded,
    cwd,
    io: terminalIO(),
    session: sessionChoice(opts),
    pinnedArm: opts.provider !== undefined || opts.model !== undefined,
    localOnly: opts.localOnly === true,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.system !== undefined ? { systemPrompt: opts.system } : {}),
    onEvent: (e) => renderer.event(e),
  });
  const e = loaded.config.engine;
  setHttpTimeouts(
    e.connect_timeout * 1000,
    (Math.max(e.first_byte_timeout, e.first_byte_timeout_local, e.idle_timeout, e.idle_timeout_local) + 30) *
      1000,
  );

  const controller = new AbortController();
  const onSigint = () => {
    controller.abort(new Error("interrupted"));
    // The turn returns within a moment of the abort; should anything still hold the process (a model call that
    // ignores the abort, a tool that will not die), leave anyway within a second of Ctrl-C.
    setTimeout(() => {
      process.stderr.write("owlet: interrupted\n");
      process.exit(EXIT.interrupted);
    }, FORCED_EXIT_MS).unref();
  };
  process.once("SIGINT", onSigint);
  let closed = false;
  try {
    const turn = await agent.runTurn(await slashExpanded(prompt, agent), controller.signal);
    renderer.result(turn, agent.session?.id);
    closed = true;
    await agent.close();
    return exitCodeOf(turn);
  } finally {
    process.off("SIGINT", onSigint);
    // MCP servers and hooks must not outlive a turn that threw.
    if (!closed) await agent.close().catch(() => {});
  }
}

/**
 * `owlet -p "/name args"`: the prompt a custom command, skill or MCP prompt expands to (for `/mcp__…`, once the
 * servers have started); any other prompt as it is. Throws UserError when the command cannot expand (an MCP prompt
 * that is missing arguments or whose server is down).
 */
async function slashExpanded(prompt: string, agent: Agent): Promise<string> {
  if (!prompt.trimStart().startsWith("/")) return prompt;
  let found = findSlashCommand(prompt, agent.slashCommands());
  if (!found && prompt.trimStart().startsWith("/mcp__")) {
    await agent.mcp.settled();
    found = findSlashCommand(prompt, agent.slashCommands());
  }
  if (!found) return prompt;
  try {
    return await found.command.expand(found.args);
  } catch (err) {
    throw new UserError(`/${found.command.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The agent's view of this process: its environment, a prompt on the terminal when a person can answer (stdin
 * and stderr are TTYs), and notices on stderr as `owlet: <message>`.
 */
function terminalIO(): AgentIO {
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  return {
    env: process.env,
    ...(interactive ? { ask: ttyAsker(process.stdin, process.stderr) } : {}),
    notify: (message) => process.stderr.write(`owlet: ${message}\n`),
  };
}

/** `--resume <id>` / `--continue` → the session to continue (`--resume` wins). */
function sessionChoice(opts: PrintOptions): SessionChoice {
  if (opts.resume) return { kind: "resume", id: opts.resume };
  if (opts.continue) return { kind: "latest" };
  return { kind: "new" };
}

/** The exit code of a turn: 0 success, 130 aborted, 2 for what the user sets (routing, endpoint, key, model), else 1. */
function exitCodeOf(turn: TurnResult): number {
  switch (turn.status) {
    case "success":
      return EXIT.ok;
    case "aborted":
      return EXIT.interrupted;
    case "routing_error":
      return EXIT.usage;
    case "provider_error":
      // Endpoint, credentials or model name wrong: something the user sets, as config errors are.
      return turn.errorKind === "unreachable" || turn.errorKind === "auth" || turn.errorKind === "not_found"
        ? EXIT.usage
        : EXIT.turnFailed;
    default:
      return EXIT.turnFailed;
  }
}

/** The one warning for an untrusted project whose config tried to raise permissions: what was ignored, and how to trust. */
export function untrustedWarning(loaded: LoadedConfig): string {
  return (
    `${loaded.trust.projectFile} is in a folder you have not trusted, so these settings were ignored: ` +
    `${loaded.trust.ignored.join(", ")}. If you trust this repository, run: owlet trust ${loaded.projectRoot}`
  );
}

/** The print-mode flags that are config settings, as config's command-line layer. */
function flagOverrides(opts: PrintOptions) {
  return {
    ...(opts.provider !== undefined ? { provider: opts.provider } : {}),
    ...(opts.model !== undefined ? { model: opts.model } : {}),
    ...(opts.baseUrl !== undefined ? { baseURL: opts.baseUrl } : {}),
    ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}),
    ...(opts.contextWindow !== undefined ? { contextWindow: opts.contextWindow } : {}),
    ...(opts.maxTurns !== undefined ? { maxTurns: opts.maxTurns } : {}),
    ...(opts.permissionMode !== undefined ? { permissionMode: opts.permissionMode } : {}),
    ...(opts.twoStage !== undefined ? { twoStage: opts.twoStage } : {}),
    ...(opts.sandbox !== undefined ? { sandbox: opts.sandbox } : {}),
  };
}
