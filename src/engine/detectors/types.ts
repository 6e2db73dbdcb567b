/**
 * What an early-stop detector reports when it trips: which detector, why (for `--verbose`,
 * stream-json and tests), and the corrective user message the engine injects before the next round.
 */
export interface DetectorTrip {
  detector: "repetition" | "greeting" | "patch_spiral" | "tool_loop";
  reason: string;
  injection: string;
}
