import type { EngineEvent } from "../../engine/events.ts";
import type { TurnResult } from "../../engine/turn-result.ts";
import type { Renderer, RenderTarget } from "./renderer.ts";
import { errorRecord, resultRecord } from "./result.ts";

/**
 * `--output-format stream-json`: one JSON object per line, snake_case fields: `routing`, `round_start`,
 * `text_delta`, `tool_call` {id, name, arguments}, `tool_result` {id, name, output, is_error}, `failover`,
 * `retry`, `early_stop`, `compaction`, `usage`, `warning`, `error`, and a final `result` like the json format.
 * A subagent's events carry `agent_id`.
 */
export class StreamJsonRenderer implements Renderer {
  private readonly target: RenderTarget;
  constructor(target: RenderTarget) {
    this.target = target;
  }
  event(event: EngineEvent): void {
    const { agentId: _camelCase, ...rest } = toWire(event);
    // A subagent's events say whose they are (`agent_id`, e.g. "agent-1"); the main agent's have none.
    this.line(event.agentId !== undefined ? { ...rest, agent_id: event.agentId } : rest);
  }
  result(turn: TurnResult, sessionId: string | undefined): void {
    if (turn.status !== "success" && turn.error) this.line({ type: "error", message: turn.error });
    this.line(resultRecord(turn, sessionId));
  }
  error(message: string): void {
    this.line({ type: "error", message });
    this.line(errorRecord(message));
  }
  private line(obj: unknown): void {
    this.target.out.write(`${JSON.stringify(obj)}\n`);
  }
}

function toWire(event: EngineEvent): Record<string, unknown> {
  switch (event.type) {
    case "routing":
      return {
        type: "routing",
        arm: event.arm,
        provider: event.provider,
        model: event.model,
        task_type: event.taskType,
        classifier: event.classifier,
        reason: event.reason,
        two_stage: event.twoStage,
      };
    case "round_start":
      return {
        type: "round_start",
        round: event.round,
        tools: event.tools,
        tool_choice: event.toolChoice,
        ...(event.promptTokens ? { prompt_tokens: event.promptTokens } : {}),
      };
    case "tool_result":
      return {
        type: "tool_result",
        id: event.id,
        name: event.name,
        output: event.output,
        is_error: event.isError,
      };
    case "retry":
      return { type: "retry", attempt: event.attempt, delay_ms: event.delayMs, reason: event.reason };
    case "compaction":
      return {
        type: "compaction",
        reason: event.reason,
        dropped_messages: event.droppedMessages,
        compacted_results: event.compactedResults,
      };
    case "usage":
      return {
        type: "usage",
        round: event.round,
        input_tokens: event.usage.inputTokens,
        output_tokens: event.usage.outputTokens,
      };
    default:
      return { ...event };
  }
}
