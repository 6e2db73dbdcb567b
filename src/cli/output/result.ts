import type { TurnResult } from "../../engine/turn-result.ts";

/** The final `result` object of `--output-format json` and `stream-json` (field names as Claude Code's). */
export interface ResultRecord {
  type: "result";
  /**
   * How the turn ended: success, checks_failed, permission_denied, stuck, max_turns, provider_error, budget_error,
   * routing_error, aborted.
   */
  subtype: string;
  result: string;
  is_error: boolean;
  usage: { input_tokens: number; output_tokens: number };
  rounds: number;
  session_id: string | null;
  arm?: string;
  error?: string;
  early_stops?: string[];
  /** Tool calls the permission gate refused, as Claude Code's print mode lists them (always present). */
  permission_denials: { tool_name: string; tool_use_id: string; tool_input: unknown }[];
}

/** Builds the result record of a turn. */
export function resultRecord(turn: TurnResult, sessionId: string | undefined): ResultRecord {
  const rec: ResultRecord = {
    type: "result",
    subtype: turn.status,
    result: turn.text,
    is_error: turn.status !== "success",
    usage: { input_tokens: turn.usage.inputTokens, output_tokens: turn.usage.outputTokens },
    rounds: turn.rounds,
    session_id: sessionId ?? null,
    permission_denials: (turn.permissionDenials ?? []).map((d) => ({
      tool_name: d.toolName,
      tool_use_id: d.toolUseId,
      tool_input: d.toolInput,
    })),
  };
  if (turn.arm) rec.arm = turn.arm;
  if (turn.error) rec.error = turn.error;
  if (turn.earlyStops.length > 0) rec.early_stops = turn.earlyStops;
  return rec;
}

/** The result record for a run that failed before or outside the turn (config, credentials, endpoint). */
export function errorRecord(message: string): ResultRecord {
  return {
    type: "result",
    subtype: "error",
    result: "",
    is_error: true,
    usage: { input_tokens: 0, output_tokens: 0 },
    rounds: 0,
    session_id: null,
    permission_denials: [],
    error: message,
  };
}
