import type { Message, Usage } from "../message/types.ts";

/**
 * How a turn ended: `success` (the model ended its turn), `checks_failed` (it ended its turn, but the last
 * command it ran after changing files failed), `permission_denied` (it ended its turn, but some of its tool
 * calls were denied, so the work may be incomplete), `no_changes` (the prompt asked for a change, but the model
 * ended its turn without changing anything), `max_turns` (the round limit was hit), `stuck` (one
 * early-stop detector kept tripping: the model is not converging, so the turn stops early), `provider_error`
 * (the model endpoint failed and no retry or failover helped), `budget_error` (the prompt cannot fit the
 * context window), `routing_error` (no arm could take the turn), `aborted` (interrupted by the user), `blocked` (a
 * hook refused the prompt before the model saw it, e.g. a UserPromptSubmit hook's exit 2).
 */
export type TurnStatus =
  | "success"
  | "checks_failed"
  | "no_changes"
  | "permission_denied"
  | "stuck"
  | "max_turns"
  | "provider_error"
  | "budget_error"
  | "routing_error"
  | "aborted"
  | "blocked";

/** A tool call the permission gate refused (the shape of Claude Code's `permission_denials` entries). */
export interface PermissionDenial {
  toolName: string;
  toolUseId: string;
  /** The call's arguments, parsed (the raw text when they were not JSON). */
  toolInput: unknown;
}

/** The result of one turn. */
export interface TurnResult {
  status: TurnStatus;
  /** The final assistant text (the last round's text). */
  text: string;
  /** Usage summed over the turn's rounds, tokens. */
  usage: Usage;
  /** Requests made (rounds), including retried and failed-over ones that produced a response. */
  rounds: number;
  /** The messages this turn appended to history, in order. */
  messages: Message[];
  /** The arm that served the turn's last round. */
  arm?: string;
  /** Set when status is not success: a message a user can act on. */
  error?: string;
  /** For provider_error: the ProviderError kind (e.g. "unreachable", "auth"), which the CLI maps to exit codes. */
  errorKind?: string;
  /** Early-stop detectors that tripped during the turn. */
  earlyStops: string[];
  /** Tool calls the permission gate refused during the turn (absent when none). */
  permissionDenials?: PermissionDenial[];
}
