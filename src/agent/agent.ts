/** The shapes of an agent: what createAgent takes and what it returns. */
import type { LoadedConfig } from "../config/load.ts";
import type { CompactionOptions, CompactionRecord } from "../engine/compaction.ts";
import type { Engine } from "../engine/engine.ts";
import type { PermissionGate } from "../engine/permission-gate.ts";
import type { ArmHandle, RoutingPolicy } from "../engine/routing.ts";
import type { TurnResult } from "../engine/turn-result.ts";
import type { SlashCommand } from "../extension/commands/slash.ts";
import type { McpManager } from "../extension/mcp/manager.ts";
import type { Message } from "../message/types.ts";
import type { Asker, PermissionPolicy } from "../policy/index.ts";
import type { Session, SessionStore } from "../session/index.ts";
import type { ToolRegistry } from "../tool/registry.ts";
import type { CommandHost, TextFileAccess, Tool } from "../tool/types.ts";
import type { ContextUsage } from "./context-usage.ts";
import type { AgentListener } from "./events.ts";
import type { AgentExtensions } from "./extensions.ts";
import type { ArmPrice } from "./prices.ts";
import type { SessionChoice } from "./sessions.ts";
import type { ShellRun } from "./shell.ts";
import type { UndoResult } from "./undo.ts";

/** Progress of a long step a front end may draw as a bar: a model download (bytes), a model load (fraction). */
export interface AgentProgress {
  /** What is under way, e.g. "downloading qwen2.5-coder-0.5b-instruct". */
  label: string;
  /** Done so far and the total, in `unit`s; `total` 0 while unknown. */
  done: number;
  total: number;
  unit: "bytes" | "fraction";
  /** True once, when the step has finished (or failed). */
  finished?: boolean;
}

/** How the agent reaches the world around it, so any front end (print mode, a TUI, an editor) can host it. */
export interface AgentIO {
  /** The environment: API keys, `XDG_*` locations, and the source of the commands' environment. */
  env: NodeJS.ProcessEnv;
  /**
   * Asks the user whether a call may run. Absent: nobody can answer, so an `ask` is a denial whose message
   * names `--permission-mode`.
   */
  ask?: Asker;
  /**
   * One line for the user, without a prefix or newline: a model being downloaded, an arm skipped, secrets
   * redacted from the prompt, a policy warning.
   */
  notify(message: string): void;
  /** Progress of a model download or load (see AgentProgress); absent: only `notify`'s one line is given. */
  progress?(update: AgentProgress): void;
}

/** Options of createAgent. Only `config`, `cwd` and `io` are required. */
export interface AgentOptions {
  /** The loaded configuration (flags and environment already layered in) and its project root. */
  config: LoadedConfig;
  /** Absolute path of an existing directory: the workspace the tools work in. */
  cwd: string;
  io: AgentIO;
  /** The conversation to continue; default a new one. */
  session?: SessionChoice;
  /** The arm named on the command line (--provider/--model) is pinned, even among router arms. Default false. */
  pinnedArm?: boolean;
  /** Local models only (--local-only); `[router] local_only` turns it on as well. */
  localOnly?: boolean;
  /** Seed for sampling and routing (--seed); for routing it overrides `[router] seed`. */
  seed?: number;
  /** Replaces the system prompt (--system). */
  systemPrompt?: string;
  /** Appended to the system prompt, default or replaced, after a blank line (--append-system-prompt). */
  appendSystemPrompt?: string;
  /**
   * The asker to use instead of `io.ask` (e.g. a control protocol's permission prompt); it makes asks answerable
   * as `io.ask` does.
   */
  ask?: Asker;
  /** Receives every engine event (the same as subscribing right away). */
  onEvent?: AgentListener;
  /**
   * False: nothing of the conversation is written to disk (`--no-session-persistence`): no session file, no saved
   * tool results, no checkpoints; a session chosen to continue is read, not written. Default true.
   */
  persist?: boolean;
  /** Which built-in tools the model gets (default all); `owlet init` keeps the read-only ones. */
  toolFilter?: (tool: Tool) => boolean;
  /** The PreCompact hook point: called before every summary is written (hooks plug in here). */
  beforeCompact?: CompactionOptions["beforeCompact"];
  /** Receives every message appended to the conversation's history, in order (after the session stored it). */
  onMessage?: (message: Message) => void;
  /** Text files through an editor (unsaved buffers) for the file tools; default the disk. */
  files?: TextFileAccess;
  /** Where bash's commands run (an editor's terminal, with owlet's sandbox argv); default owlet's own children. */
  commands?: CommandHost;
}

/**
 * A ready agent: one conversation with its engine, routing, tools, permission gate and session. Turns run one at
 * a time; the events of a turn reach the listeners as they happen.
 */
export interface Agent {
  readonly engine: Engine;
  readonly routing: RoutingPolicy;
  /** The arm that will most likely serve (the session's meta record names it). */
  readonly primaryArm: ArmHandle;
  readonly tools: ToolRegistry;
  readonly policy: PermissionPolicy;
  /** The gate every model call goes through. */
  readonly gate: PermissionGate;
  /** The project's sessions (`<project>/.owlet/sessions`). */
  readonly sessions: SessionStore;
  /** The session this conversation is stored in (locked by this process); undefined with `[session] enabled = false`. */
  readonly session: Session | undefined;
  /**
   * Estimated spend of this agent so far, USD: each round's tokens at the prices of the arm that served it
   * (`[[arms]]` price_input / price_output per 1M tokens; 0 for unpriced and local arms).
   */
  readonly costUSD: number;
  /**
   * The prices of an arm, USD per 1M prompt / completion tokens, from the agent's price table (prices.ts:
   * `[[arms]]` rows, else the models.dev catalogue; local arms 0); undefined when unknown.
   */
  armPrice(armId: string): ArmPrice | undefined;
  /** The project's root as config found it (where AGENTS.md, `.owlet/` and the sessions are). */
  readonly projectRoot: string;
  /** Plugins, skills, custom commands and agent definitions found for this agent. */
  readonly extensions: AgentExtensions;
  /** The MCP servers (their states, prompts); started in the background by createAgent. */
  readonly mcp: McpManager;
  /**
   * The slash commands a front end can offer now: custom commands, MCP prompts (those of servers still starting
   * come from what they offered last time) and skills. See SlashCommand.
   */
  slashCommands(): SlashCommand[];
  /** Adds a listener for engine events; returns the function that removes it. */
  subscribe(listener: AgentListener): () => void;
  /**
   * Runs one turn: `prompt` has its secrets redacted (a notice says so) and goes to the engine. Never throws for
   * model, tool or budget failures (see TurnResult.status); an aborted `signal` ends the turn as `aborted`.
   */
  runTurn(prompt: string, signal?: AbortSignal): Promise<TurnResult>;
  /**
   * Runs the user's own shell command (a front end's `!command`) through the bash tool, this agent's permission
   * gate and sandbox (see runUserShell); its output goes with the next prompt to the model. Never throws for a
   * failing or refused command.
   */
  runShell(command: string, signal?: AbortSignal): Promise<ShellRun>;
  /** What the next request would hold for the primary arm, by part, in tokens. */
  contextUsage(): ContextUsage;
  /**
   * Compacts the conversation now (`/compact [focus]`, `owlet compact`): the older rounds become a summary written
   * by the summary arm (`[context] summary_arm`) or the primary arm, stored in the session; the latest rounds stay.
   * Returns the record, or undefined when there was nothing to summarise. Throws when the summary request fails.
   */
  compact(focus?: string, signal?: AbortSignal): Promise<CompactionRecord | undefined>;
  /**
   * Undoes turn `turn` (default the last) and every later one (`/rewind`, `owlet undo`): the files their tool calls
   * changed are restored from the checkpoints, and the conversation is cut back to before the turn. Throws an Error
   * without a session, without such a turn, or with checkpoints off.
   */
  undo(turn?: number): Promise<UndoResult>;
  /**
   * Fires SessionEnd hooks, stops the MCP servers, saves what the router learned (nothing for one fixed arm) and
   * releases the session's lock. Call once, last.
   */
  close(): Promise<void>;
}
