import type { DetectorTrip } from "./types.ts";

/** Markers of a model restarting the conversation (gnoma's greeting markers, case-insensitive). */
export const GREETING_MARKERS = [
  "how can i help",
  "how can i assist",
  "what would you like",
  "what can i do for you",
  "i'm ready to",
  "hi there",
] as const;

/** The corrective message injected after a greeting regression (gnoma's wording). */
export const GREETING_INJECTION =
  "[system] You produced a greeting instead of continuing the task. Resume where you left off, using the tool " +
  "results above. Do not restart the conversation.";

/**
 * Greeting regression (gnoma's DetectGreeting): after a round that used tools, a response with no tool calls
 * whose text (≥ 10 chars) greets the user means a small model lost the thread. Returns a trip or undefined.
 */
export function detectGreeting(
  text: string,
  priorRoundUsedTools: boolean,
  hasToolCalls: boolean,
): DetectorTrip | undefined {
  if (!priorRoundUsedTools || hasToolCalls) return undefined;
  const trimmed = text.trim();
  if (trimmed.length < 10) return undefined;
  const lower = trimmed.toLowerCase();
  const marker = GREETING_MARKERS.find((m) => lower.includes(m));
  if (!marker) return undefined;
  return {
    detector: "greeting",
    reason: `greeting ("${marker}") right after a tool round`,
    injection: GREETING_INJECTION,
  };
}
