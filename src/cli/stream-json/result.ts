/**
 * The `result` line of `--output-format stream-json` and the object of `--output-format json`, in Claude Code's
 * shape (SDKResultMessage), with owlet's own outcome beside it: `owlet_status` (success, checks_failed, no_changes,
 * permission_denied, stuck, max_turns, provider_error, budget_error, routing_error, aborted, max_budget_usd),
 * `is_error` true for every status but success (`result` then holds the error, as Claude Code's error results do),
 * `error`, `arm` and `early_stops`.
 */
import type { TurnResult } from "../../engine/turn-result.ts";
import { type ResultSubtype, type WireLine, type WireModelUsage, wireUsage } from "./wire.ts";

/** Timing of a turn, ms: wall time, time waiting on the model, time to the first streamed token. */
export interface TurnTiming {
  durationMs: number;
  apiMs: number;
  ttftMs?: number;
}

/** What the result line needs beside the turn. */
export interface ResultContext {
  sessionId: string;
  timing: TurnTiming;
  /** USD, cumulative over the session's turns (as Claude Code's total_cost_usd). */
  costUSD: number;
  modelUsage: Record<string, WireModelUsage>;
  turnModelUsage: Record<string, WireModelUsage>;
  stopReason: string | null;
  /** 0-based number of this result within the run. */
  resultIndex: number;
  /** The turn was stopped because `--max-budget-usd` was reached. */
  budgetExceeded: boolean;
}

/**
 * Claude Code's subtype for an owlet outcome: the model ended its turn → `success` (is_error still says whether
 * owlet counts it a success); the round limit → `error_max_turns`; `--max-budget-usd` → `error_max_budget_usd`;
 * every other early stop (stuck, provider, budget, routing, interrupt) → `error_during_execution`.
 */
export function resultSubtype(turn: TurnResult, budgetExceeded: boolean): ResultSubtype {
  if (budgetExceeded) return "error_max_budget_usd";
  switch (turn.status) {
    case "success":
    case "checks_failed":
    case "no_changes":
    case "permission_denied":
      return "success";
    case "max_turns":
      return "error_max_turns";
    default:
      return "error_during_execution";
  }
}

/** Claude Code's `terminal_reason` for an owlet outcome. */
function terminalReason(turn: TurnResult, budgetExceeded: boolean): string {
  if (budgetExceeded) return "budget_exhausted";
  switch (turn.status) {
    case "max_turns":
      return "max_turns";
    case "provider_error":
      return "api_error";
    case "budget_error":
      return "prompt_too_long";
    case "routing_error":
      return "turn_setup_failed";
    case "aborted":
      return "aborted_streaming";
    case "stuck":
      return "model_error";
    default:
      return "completed";
  }
}

/** The result line of a turn (without `session_id`/`uuid`, which the transcript adds). */
export function resultLine(turn: TurnResult, ctx: ResultContext): WireLine {
  const subtype = resultSubtype(turn, ctx.budgetExceeded);
  const status = ctx.budgetExceeded ? "max_budget_usd" : turn.status;
  const line: WireLine = {
    type: "result",
    subtype,
    is_error: status !== "success",
    duration_ms: ctx.timing.durationMs,
    duration_api_ms: ctx.timing.apiMs,
    ...(ctx.timing.ttftMs !== undefined ? { ttft_ms: ctx.timing.ttftMs } : {}),
    num_turns: turn.rounds,
    // As Claude Code: an error result carries the error text here (the agent SDK raises it); the model's last
    // text stays in its assistant message.
    result: status === "success" ? turn.text : (turn.error ?? turn.text),
    stop_reason: ctx.stopReason,
    total_cost_usd: ctx.costUSD,
    usage: wireUsage(turn.usage),
    modelUsage: ctx.modelUsage,
    model_usage_since_last_result: ctx.turnModelUsage,
    permission_denials: (turn.permissionDenials ?? []).map((d) => ({
      tool_name: d.toolName,
      tool_use_id: d.toolUseId,
      tool_input: d.toolInput,
    })),
    terminal_reason: terminalReason(turn, ctx.budgetExceeded),
    api_error_status: null,
    queued_turn_count: 0,
    result_index: ctx.resultIndex,
    owlet_status: status,
  };
  if (subtype !== "success") line.errors = [turn.error ?? status];
  if (turn.arm) line.arm = turn.arm;
  if (turn.error) line.error = turn.error;
  if (turn.earlyStops.length > 0) line.early_stops = turn.earlyStops;
  return line;
}

/**
 * The result line for a run that failed before or outside a turn (config, credentials, endpoint): Claude Code's
 * zeroed `error_during_execution` result, its message in `errors` and `error`; `owlet_status` "error".
 */
export function setupErrorLine(message: string, sessionId: string | null): WireLine {
  return {
    type: "result",
    subtype: "error_during_execution",
    is_error: true,
    duration_ms: 0,
    duration_api_ms: 0,
    num_turns: 0,
    result: "",
    stop_reason: null,
    total_cost_usd: 0,
    usage: wireUsage({ inputTokens: 0, outputTokens: 0 }),
    modelUsage: {},
    permission_denials: [],
    errors: [message],
    error: message,
    owlet_status: "error",
    session_id: sessionId,
  };
}
