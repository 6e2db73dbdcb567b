/** What fills the context window, by part, in tokens (the front ends' `/context`). */
import { measureMessage, measureSystem, measureTool } from "../context/measure.ts";
import type { ArmHandle } from "../engine/routing.ts";
import type { Message } from "../message/types.ts";
import type { ToolSchema } from "../provider/types.ts";
import { tokenCounter } from "./engine-setup.ts";

/** The parts of the next request, in tokens, and the arm's window (tokens) when known. */
export interface ContextUsage {
  system: number;
  tools: number;
  /** Every message so far: prompts, answers, tool calls and their results. */
  history: number;
  /** Of `history`, the tool results alone. */
  toolResults: number;
  total: number;
  contextWindow?: number;
  /** How the tokens were counted: the model's tokenizer, its family's, or the bytes/4 estimate. */
  counter: "model" | "family" | "estimate";
}

/**
 * Measures what the next request for `arm` would hold, with the same counter the prompt budget uses (see
 * tokenCounter): the system prompt, the tool schemas and the history (tool results also on their own).
 * The budget may still compact or drop old rounds when the request is built; this is the history as it is.
 */
export function contextUsage(
  arm: ArmHandle,
  system: string,
  tools: ToolSchema[],
  history: readonly Message[],
): ContextUsage {
  const counter = tokenCounter(arm);
  const systemTokens = measureSystem(system, counter);
  const toolTokens = tools.reduce((n, t) => n + measureTool(t, counter), 0);
  let historyTokens = 0;
  let toolResults = 0;
  for (const message of history) {
    const tokens = measureMessage(message, counter);
    historyTokens += tokens;
    if (message.content.some((b) => b.type === "tool_result")) toolResults += tokens;
  }
  return {
    system: systemTokens,
    tools: toolTokens,
    history: historyTokens,
    toolResults,
    total: systemTokens + toolTokens + historyTokens,
    ...(arm.contextWindow !== undefined ? { contextWindow: arm.contextWindow } : {}),
    counter: counter.kind,
  };
}
