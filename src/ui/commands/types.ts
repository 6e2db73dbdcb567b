import type { Agent } from "../../agent/agent.ts";
import type { SessionChoice } from "../../agent/sessions.ts";
import type { Usage } from "../../message/types.ts";
import type { PermissionMode } from "../../policy/index.ts";
import type { Tool } from "../../tool/types.ts";
import type { Phase } from "../controller.ts";

/** How a notice in the transcript is coloured. */
export type Tone = "info" | "warn" | "error" | "dim";

/**
 * What a new agent should differ in: the conversation, or the arm (`--provider`/`--model`, then pinned); or a
 * helper agent beside the conversation's.
 */
export interface AgentChange {
  session?: SessionChoice;
  provider?: string;
  model?: string;
  /**
   * A helper agent (`/init`'s read-only one): the current arm, only the tools `toolFilter` keeps, a new
   * conversation never written to disk (AgentOptions.persist false); the host's remembered arm stays as it was.
   */
  helper?: { toolFilter: (tool: Tool) => boolean };
}

/** One choice of a picker (`/resume`): the line shown and the value handed back. */
export interface PickItem {
  label: string;
  value: string;
}

/**
 * What a slash command may do to the interactive session (the UI controller implements it). Commands get the
 * current agent (undefined while it is being set up or after set-up failed) and act through these methods only.
 */
export interface CommandHost {
  readonly agent: Agent | undefined;
  /** Absolute workspace directory. */
  readonly cwd: string;
  /** Every command, for /help and completion. */
  readonly commands: readonly SlashCommand[];
  /** Adds a notice to the transcript (several lines allowed). */
  say(text: string, tone?: Tone): void;
  /** Switches the permission mode (the status line shows it). */
  setMode(mode: PermissionMode): void;
  /**
   * Replaces the agent with one built with `change` (the old one is closed first); says what happened. Resolves
   * false when the new agent could not be built (the reason was said; the old conversation is reopened).
   */
  rebuild(change: AgentChange): Promise<boolean>;
  /** Clears the screen and the transcript shown (the conversation itself is the agent's). */
  clearScreen(): void;
  /** Ends the interactive session. */
  quit(): void;
  /** Sends `prompt` to the model as if typed (shown as `display` when given). */
  sendPrompt(prompt: string, display?: string): void;
  /** Shows a picker; `onPick` gets the chosen value (nothing when the user presses Esc). */
  pick(title: string, items: PickItem[], onPick: (value: string) => void): void;
  /** Tokens of this conversation (the session's records included) and their cost in USD when prices are known. */
  totals(): { usage: Usage; costUsd?: number };
  /**
   * Runs a command's long step (a summary request) as a turn runs: the UI is busy, the activity line shows
   * `phase`, Esc aborts `signal`, prompts typed meanwhile are queued. Resolves or rejects as `work` does.
   */
  busy<T>(phase: Phase, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /**
   * Builds a helper agent (see AgentChange.helper), runs `work` with it while busy (its events shown as a turn's,
   * Esc aborts `signal`), then closes it. Rejects when it cannot be built or `work` rejects.
   */
  withHelperAgent<T>(
    toolFilter: (tool: Tool) => boolean,
    work: (agent: Agent, signal: AbortSignal) => Promise<T>,
  ): Promise<T>;
  /** Clears the screen and shows the conversation as the agent now holds it (after /rewind). */
  redraw(): void;
}

/**
 * A slash command (`/name args`): a small record so that other work can add commands (custom commands, MCP
 * prompts) by registering one. `run` may be async; a thrown error is shown as an error notice.
 */
export interface SlashCommand {
  /** Without the slash, lower case: `model`. */
  name: string;
  aliases?: readonly string[];
  /** One line for /help and the completion menu. */
  summary: string;
  /** The argument, for /help: `[mode]`, `<id>`. */
  usage?: string;
  /** Whether it may run while a turn is under way (default false: the user is told to wait or press Esc). */
  whileBusy?: boolean;
  /** Completions of the argument typed so far (e.g. mode names). */
  completeArgs?(host: CommandHost, partial: string): string[];
  run(host: CommandHost, args: string): void | Promise<void>;
}
