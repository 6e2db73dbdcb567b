import { randomUUID } from "node:crypto";
import type { Agent } from "../agent/agent.ts";
import { AgentSetupError } from "../agent/errors.ts";
import { ConfigError } from "../config/errors.ts";
import type { TurnResult } from "../engine/turn-result.ts";
import { findSlashCommand } from "../extension/commands/slash.ts";
import type { Asker } from "../policy/index.ts";
import { isPermissionMode } from "../policy/modes.ts";
import { ProviderError } from "../provider/errors.ts";
import { httpTimeoutsMs } from "./agent-options.ts";
import { buildCliAgent, workspaceOf } from "./agent-setup.ts";
import { EXIT, UserError } from "./exit-codes.ts";
import { setHttpTimeouts } from "./http-timeouts.ts";
import { ClaudeRenderer } from "./output/claude-renderer.ts";
import type { Renderer, RenderTarget } from "./output/renderer.ts";
import { TextRenderer } from "./output/text-renderer.ts";
import type { PrintOptions } from "./print-options.ts";
import { readPrompt, stdinIsPipedInput } from "./read-prompt.ts";
import {
  ControlResponses,
  controlAsker,
  controlError,
  controlSuccess,
  type InitializeSettings,
  readHostLines,
} from "./stream-json/input.ts";
import { claudePermissionMode, owletPermissionMode } from "./stream-json/rules.ts";
import { CLAUDE_CODE_WIRE_VERSION, type WireLine } from "./stream-json/wire.ts";
import { owletVersion } from "./version.ts";

/** After Ctrl-C, the longest owlet waits for the turn to wind down before exiting anyway (130), ms. */
const FORCED_EXIT_MS = 900;

/**
 * Print mode (`owlet -p "PROMPT"`): non-interactive turns as a thin client of createAgent. Reads the prompt (or,
 * with `--input-format stream-json`, user messages and control requests from stdin, one turn per message), loads
 * config with the flags layered in, builds the agent, runs the turn(s) and renders events, messages and results
 * in the chosen output format (text; Claude Code's json and stream-json).
 * Returns the exit code: 0 success, 1 the turn failed, 2 usage/config/credentials/endpoint, 130 interrupted.
 * User errors never print a stack trace.
 */
export async function runPrintMode(words: string[], opts: PrintOptions): Promise<number> {
  exitWithParent();
  const target: RenderTarget = { out: process.stdout, err: process.stderr, verbose: opts.verbose === true };
  const write = (line: WireLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const renderer = makeRenderer(opts, target, write);
  try {
    checkFlags(opts);
    return await run(words, opts, renderer, write);
  } catch (err) {
    const code = userErrorCode(err);
    if (code === undefined) throw err;
    renderer.error(userErrorMessage(err));
    return code;
  }
}

/**
 * With `OWLET_PARENT_PID` set (by `owlet batch` and `owlet worker` for the runs they start), a run whose parent has
 * died (it was re-parented) interrupts itself as Ctrl-C would, so a worker killed with `kill -9` leaves no owlet
 * still changing a working copy that is about to be discarded. Checked every second.
 */
function exitWithParent(): void {
  const parent = Number(process.env.OWLET_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 0) return;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGINT");
  }, 1000).unref();
}

/** The exit code of an error the user can act on, or undefined for a bug. */
function userErrorCode(err: unknown): number | undefined {
  if (err instanceof UserError) return err.exitCode;
  // A provider that cannot even be built (e.g. openai-compatible without a base URL) is a setup error.
  if (err instanceof ConfigError || err instanceof AgentSetupError || err instanceof ProviderError)
    return EXIT.usage;
  return undefined;
}

function userErrorMessage(err: unknown): string {
  if (err instanceof ProviderError && err.hint) return `${err.message}\nhint: ${err.hint}`;
  return (err as Error).message;
}

function makeRenderer(opts: PrintOptions, target: RenderTarget, write: (line: WireLine) => void): Renderer {
  if (opts.outputFormat === "text") return new TextRenderer(target);
  return new ClaudeRenderer(target, {
    format: opts.outputFormat,
    partial: opts.includePartialMessages === true,
    write,
    // As Claude Code, host-only session state lines go to the agent SDK, which asks for them.
    sessionState: process.env.CLAUDE_CODE_SDK_READS_SESSION_STATE === "1",
  });
}

/** Flag combinations Claude Code refuses, refused the same way (UserError, exit 2). */
function checkFlags(opts: PrintOptions): void {
  if (opts.inputFormat === "stream-json" && opts.outputFormat !== "stream-json")
    throw new UserError("--input-format stream-json needs --output-format stream-json");
  if (opts.includePartialMessages && opts.outputFormat !== "stream-json")
    throw new UserError("--include-partial-messages needs --output-format stream-json");
  if (opts.permissionPromptTool !== undefined && opts.permissionPromptTool !== "stdio")
    throw new UserError(
      `--permission-prompt-tool ${opts.permissionPromptTool}: owlet asks over the stdio control protocol only (--permission-prompt-tool stdio)`,
    );
  if (opts.permissionPromptTool === "stdio" && opts.inputFormat !== "stream-json")
    throw new UserError("--permission-prompt-tool stdio needs --input-format stream-json");
  if (opts.maxBudgetUsd !== undefined && !(opts.maxBudgetUsd > 0))
    throw new UserError("--max-budget-usd: expected a positive amount in USD, e.g. 0.50");
  if (opts.permissionMode !== undefined && !isPermissionMode(owletPermissionMode(opts.permissionMode)))
    throw new UserError(
      `--permission-mode ${opts.permissionMode}: use default, accept_edits, bypass, deny, plan or auto (or Claude Code's acceptEdits, bypassPermissions, dontAsk)`,
    );
}

/**
 * The run: one turn from the prompt, or, with `--input-format stream-json`, a turn per user message on stdin.
 * Throws UserError, ConfigError, AgentSetupError or ProviderError for setup problems (see runPrintMode).
 */
async function run(
  words: string[],
  opts: PrintOptions,
  renderer: Renderer,
  write: (line: WireLine) => void,
): Promise<number> {
  const cwd = workspaceOf(opts);
  if (opts.inputFormat === "stream-json") return runStreamInput(opts, cwd, renderer, write);
  const prompt = await readPrompt(opts.print, words, process.stdin, stdinIsPipedInput());
  const session = await PrintSession.open(opts, cwd, renderer, {});
  try {
    return await session.turn(prompt);
  } finally {
    await session.agent.close();
  }
}

/**
 * `--input-format stream-json`: reads Claude Code's stdin protocol (see stream-json/input.ts) until stdin ends.
 * `initialize` is answered at once (its systemPrompt / appendSystemPrompt apply to the agent, built on the first
 * user message); user messages run as turns, one after the other; `interrupt` aborts the running turn;
 * `set_permission_mode` switches the policy's mode. Returns the last turn's exit code (0 without turns).
 */
async function runStreamInput(
  opts: PrintOptions,
  cwd: string,
  renderer: Renderer,
  write: (line: WireLine) => void,
): Promise<number> {
  const responses = new ControlResponses();
  const claude = renderer instanceof ClaudeRenderer ? renderer : undefined;
  const ask =
    opts.permissionPromptTool === "stdio"
      ? controlAsker(write, responses, {
          before: () => claude?.state("requires_action", session?.sessionId ?? null),
          after: () => claude?.state("running", session?.sessionId ?? null),
        })
      : undefined;
  let settings: InitializeSettings = {};
  let session: PrintSession | undefined;
  let opening: Promise<PrintSession> | undefined;
  let fatal: unknown;
  let exitCode: number = EXIT.ok;
  let chain: Promise<void> = Promise.resolve();
  const open = () =>
    (opening ??= PrintSession.open(opts, cwd, renderer, { ...settings, ...(ask ? { ask } : {}) }));
  const later = (work: () => Promise<void>) => {
    chain = chain.then(async () => {
      if (fatal) return;
      try {
        await work();
      } catch (err) {
        fatal = err;
        // Nothing more can run: stop reading, so the error is reported and the process exits.
        process.stdin.destroy();
      }
    });
  };
  await readHostLines(process.stdin, responses, (m) => {
    switch (m.kind) {
      case "initialize":
        settings = m.settings;
        write(controlSuccess(m.requestId, initializeResponse(opts)));
        return;
      case "prompt":
        later(async () => {
          session = await open();
          exitCode = await session.turn(m.text);
        });
        return;
      case "interrupt":
        session?.interrupt();
        write(controlSuccess(m.requestId));
        return;
      case "set_permission_mode": {
        const mode = owletPermissionMode(m.mode);
        if (!isPermissionMode(mode)) {
          write(controlError(m.requestId, `unknown permission mode "${m.mode}"`));
          return;
        }
        later(async () => {
          (await open()).agent.policy.setMode(mode);
          write(controlSuccess(m.requestId));
        });
        return;
      }
      case "unsupported":
        write(controlError(m.requestId, `owlet does not support the control request "${m.subtype}"`));
        return;
      case "invalid":
        process.stderr.write(`owlet: ignored a line on stdin (${m.reason}): ${m.line.slice(0, 120)}\n`);
        return;
    }
  }).catch((err: unknown) => {
    // A destroyed stdin (after a fatal error) ends the read early; anything else is a real failure.
    if (!fatal) throw err;
  });
  await chain;
  if (session) await session.agent.close();
  if (fatal) throw fatal;
  return exitCode;
}

/** The `initialize` control response (SDKControlInitializeResponse's fields; owlet has no commands or agents). */
function initializeResponse(opts: PrintOptions): Record<string, unknown> {
  const mode = owletPermissionMode(
    opts.dangerouslySkipPermissions ? "bypass" : (opts.permissionMode ?? "auto"),
  );
  return {
    commands: [],
    agents: [],
    output_style: "default",
    available_output_styles: ["default"],
    models: opts.model ? [{ value: opts.model, displayName: opts.model, description: "" }] : [],
    account: {},
    pid: process.pid,
    claude_code_version: CLAUDE_CODE_WIRE_VERSION,
    owlet_version: owletVersion(),
    current_permission_mode: isPermissionMode(mode) ? claudePermissionMode(mode) : "default",
    session_state: "idle",
    capabilities: [],
  };
}

/** Extra agent settings of a stream-json host: the initialize request's prompts and the control asker. */
type HostSettings = InitializeSettings & { ask?: Asker };

/** One agent for the run and the turns it takes; owns Ctrl-C and --max-budget-usd. */
class PrintSession {
  readonly agent: Agent;
  readonly sessionId: string;
  private readonly opts: PrintOptions;
  private readonly cwd: string;
  private readonly renderer: Renderer;
  private controller: AbortController | undefined;

  private constructor(agent: Agent, opts: PrintOptions, cwd: string, renderer: Renderer) {
    this.agent = agent;
    this.opts = opts;
    this.cwd = cwd;
    this.renderer = renderer;
    this.sessionId = agent.session?.id ?? randomUUID();
  }

  /**
   * Builds the agent from the flags (agent-setup.ts: config with the flags layered in, Claude-style tool rules
   * appended, the session choice, --no-session-persistence) and the stream-json host's settings.
   */
  static async open(
    opts: PrintOptions,
    cwd: string,
    renderer: Renderer,
    host: HostSettings,
  ): Promise<PrintSession> {
    const append = [opts.appendSystemPrompt, host.appendSystemPrompt].filter((s) => s).join("\n\n");
    const { agent, loaded } = await buildCliAgent(
      opts,
      {
        ...(host.systemPrompt !== undefined ? { systemPrompt: host.systemPrompt } : {}),
        ...(append ? { appendSystemPrompt: append } : {}),
        ...(host.ask ? { ask: host.ask } : {}),
        onEvent: (e) => renderer.event(e),
        onMessage: (m) => renderer.message(m),
      },
      cwd,
    );
    const timeouts = httpTimeoutsMs(loaded.config);
    setHttpTimeouts(timeouts.connectMs, timeouts.bodyMs);
    return new PrintSession(agent, opts, cwd, renderer);
  }

  /** Aborts the running turn (the stream-json `interrupt` control request). */
  interrupt(): void {
    this.controller?.abort(new Error("interrupted"));
  }

  /** Runs one turn and renders it; returns its exit code. */
  async turn(prompt: string): Promise<number> {
    const controller = new AbortController();
    this.controller = controller;
    const costBefore = this.agent.costUSD;
    let budgetExceeded = false;
    const budget = this.opts.maxBudgetUsd;
    const unsubscribe = this.agent.subscribe((e) => {
      if (budget !== undefined && e.type === "usage" && this.agent.costUSD >= budget && !budgetExceeded) {
        budgetExceeded = true;
        controller.abort(new Error("budget"));
      }
    });
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
    try {
      const expanded = await slashExpanded(prompt, this.agent);
      this.renderer.beginTurn({
        sessionId: this.sessionId,
        cwd: this.cwd,
        model: this.agent.primaryArm.model,
        tools: this.agent.tools.all().map((t) => t.name),
        permissionMode: claudePermissionMode(this.agent.policy.mode),
      });
      let turn = await this.agent.runTurn(expanded, controller.signal);
      if (budgetExceeded)
        turn = {
          ...turn,
          error: `stopped: the spend reached --max-budget-usd ${budget} (USD ${this.agent.costUSD.toFixed(4)})`,
        };
      this.renderer.result(turn, {
        sessionId: this.agent.session?.id ?? (this.opts.outputFormat === "text" ? undefined : this.sessionId),
        costUSD: this.agent.costUSD,
        costBeforeTurnUSD: costBefore,
        budgetExceeded,
      });
      return budgetExceeded ? EXIT.turnFailed : exitCodeOf(turn);
    } finally {
      unsubscribe();
      process.off("SIGINT", onSigint);
      this.controller = undefined;
    }
  }
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
