/** The shapes of an agent: what createAgent takes and what it returns. */
import type { LoadedConfig } from "../config/load.ts";
import type { Engine } from "../engine/engine.ts";
import type { PermissionGate } from "../engine/permission-gate.ts";
import type { ArmHandle, RoutingPolicy } from "../engine/routing.ts";
import type { TurnResult } from "../engine/turn-result.ts";
import type { SlashCommand } from "../extension/commands/slash.ts";
import type { McpManager } from "../extension/mcp/manager.ts";
import type { Asker, PermissionPolicy } from "../policy/index.ts";
import type { Session, SessionStore } from "../session/index.ts";
import type { ToolRegistry } from "../tool/registry.ts";
import type { AgentListener } from "./events.ts";
import type { AgentExtensions } from "./extensions.ts";
import type { SessionChoice } from "./sessions.ts";

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
  /** Receives every engine event (the same as subscribing right away). */
  onEvent?: AgentListener;
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
   * Fires SessionEnd hooks, stops the MCP servers and saves what the router learned (nothing for one fixed arm).
   * Call once, after the last turn.
   */
  close(): Promise<void>;
}
