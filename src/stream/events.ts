import type { StopReason, Usage } from "../message/types.ts";

/**
 * Events a provider streams for one request, normalised across wire formats.
 * Order: any number of deltas; every tool call is `tool_call_start` → `tool_call_delta`* → `tool_call_done`;
 * then `usage` (when the server reports it) and exactly one `finish` last.
 */
export type StreamEvent =
  | { type: "text_delta"; text: string }
  | { type: "reasoning_delta"; text: string; signature?: string }
  | { type: "tool_call_start"; id: string; name: string }
  | { type: "tool_call_delta"; id: string; delta: string }
  /** `arguments` is the complete raw JSON text of the call (possibly invalid; the engine reports that). */
  | { type: "tool_call_done"; id: string; name: string; arguments: string; signature?: string }
  | { type: "usage"; usage: Usage }
  | { type: "finish"; stopReason: StopReason; model?: string };
