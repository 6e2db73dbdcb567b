/** The shapes of an agent: what createAgent takes and what it returns. */
import type { LoadedConfig } from "../config/load.ts";
import type { Engine } from "../engine/engine.ts";
import type { PermissionGate } from "../engine/permission-gate.ts";
import type { ArmHandle, RoutingPolicy } from "../engine/routing.ts";
import type { TurnResult } from "../engine/turn-result.ts";
import type { Asker, PermissionPolicy } from "../policy/index.ts";
import type { Session, SessionStore } from "../session/index.ts";
import type { ToolRegistry } from "../tool/registry.ts";
import type { ContextUsage } from "./context-usage.ts";
import type { AgentListener } from "./events.ts";
import type { SessionChoice } from "./sessions.ts";
import type { ShellRun } from "./shell.ts";

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
   * Compacts earlier tool results in the conversation held in memory to one-line markers (the prompt budget's
   * first step, applied now; the session file keeps everything). Returns the history's tokens before and after
   * and how many results were compacted.
   */
  compact(): { beforeTokens: number; afterTokens: number; compacted: number };
  /** Saves what the router learned (nothing for one fixed arm) and releases the session's lock. Call once, last. */
  close(): Promise<void>;
}
