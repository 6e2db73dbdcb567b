/**
 * What an early-stop detector reports when it trips: which detector, why (for `--verbose`,
 * stream-json and tests), and the corrective user message the engine injects before the next round.
 */
export interface DetectorTrip {
  /**
   * `no_call`: a round whose tool choice was `required` produced text and no call (the engine's own check).
   * `no_patch`: a fix-loop patch round whose reply gave no edit (see engine/fix-loop.ts).
   */
  detector: "repetition" | "greeting" | "patch_spiral" | "tool_loop" | "no_call" | "no_patch";
  reason: string;
  injection: string;
}
