import type { StopReason, Usage } from "../message/types.ts";

/**
 * Events the engine emits during a turn, in order, synchronously through `onEvent`. The CLI renders them as
 * text, or one JSON object per line in `stream-json`. Every event of a subagent's engine carries its `agentId`
 * (e.g. `agent-1`); the main agent's events have none. Every event carries its turn's `turnId` (`turn-1`,
 * `turn-2`, … per engine, so a subagent's ids are told apart by its agentId), set by the engine.
 */
export type EngineEvent = EngineEventBody & { agentId?: string; turnId?: string };

/** The events without the agent and turn ids (see EngineEvent). */
export type EngineEventBody =
  /** Once per turn, and again after a failover: the arm chosen and why. */
  | {
      type: "routing";
      arm: string;
      provider: string;
      model: string;
      taskType: string;
      classifier: string;
      reason: string;
      twoStage: boolean;
    }
  /** Before each request: round number (1-based), tools offered, and prompt size by part (tokens) when measured. */
  | {
      type: "round_start";
      round: number;
      tools: string[];
      toolChoice: "auto" | "required";
      promptTokens?: { system: number; tools: number; history: number; total: number };
    }
  | { type: "text_delta"; text: string }
  | { type: "reasoning_delta"; text: string }
  /** A tool call about to run (or be answered by the engine, for select_category). */
  | { type: "tool_call"; id: string; name: string; arguments: string }
  | { type: "tool_result"; id: string; name: string; output: string; isError: boolean }
  /** An early-stop detector tripped; a corrective message follows in history. */
  | { type: "early_stop"; detector: string; reason: string }
  /** The arm failed before streaming content; the turn continues on `to`. */
  | { type: "failover"; from: string; to: string; reason: string }
  /** A transient provider error; the same request is retried after `delayMs`. */
  | { type: "retry"; attempt: number; delayMs: number; reason: string }
  /** History was shrunk to fit (budget) or after a 413. */
  | { type: "compaction"; reason: string; droppedMessages: number; compactedResults: number }
  /** Usage of one round (tokens) and why the model stopped (absent when the provider did not say). */
  | { type: "usage"; round: number; usage: Usage; stopReason?: StopReason }
  /** The permission gate refused a tool call (it did not run); `message` is what the model was told. */
  | { type: "permission_denied"; id: string; name: string; arguments: string; message: string }
  /** A non-fatal warning (e.g. a tool-name typo resolved, a permission denial). */
  | { type: "warning"; message: string };
