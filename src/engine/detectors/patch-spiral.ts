import type { DetectorTrip } from "./types.ts";

/** Failed edits/writes on one path that trip the detector (gnoma: 4). */
export const PATCH_SPIRAL_THRESHOLD = 4;

/** Tools whose failures count toward a patch spiral. */
export const PATCH_TOOLS: ReadonlySet<string> = new Set(["fs_edit", "fs_write"]);

/** The corrective message for a patch spiral on `path`. */
export function patchSpiralInjection(path: string, failures: number): string {
  return (
    `[system] ${failures} edits to ${path} have failed. Stop using fs_edit on this file. Read it whole with ` +
    `fs_read, decide its complete new content, and rewrite it with fs_write in one call.`
  );
}

/**
 * Patch-spiral tracker (gnoma's PatchFailureTracker): per path, a failed fs_edit/fs_write (an error result)
 * adds one, a success subtracts one (floor 0); reaching the threshold trips once and resets that path.
 * Unlike gnoma, owlet's fs_edit reports "no match"/"several matches" as error results, so real edit
 * failures count (gnoma §12 gap 1).
 */
export class PatchSpiralDetector {
  private readonly failures = new Map<string, number>();
  private readonly threshold: number;

  /** @param threshold failures on one path that trip (default {@link PATCH_SPIRAL_THRESHOLD}). */
  constructor(threshold = PATCH_SPIRAL_THRESHOLD) {
    this.threshold = threshold;
  }

  /** Records one fs_edit/fs_write outcome; returns a trip when `path` reaches the threshold. */
  record(tool: string, path: string | undefined, isError: boolean): DetectorTrip | undefined {
    if (!PATCH_TOOLS.has(tool) || !path) return undefined;
    const current = this.failures.get(path) ?? 0;
    if (!isError) {
      this.failures.set(path, Math.max(0, current - 1));
      return undefined;
    }
    const next = current + 1;
    if (next >= this.threshold) {
      this.failures.set(path, 0);
      return {
        detector: "patch_spiral",
        reason: `${next} failed edits/writes on ${path}`,
        injection: patchSpiralInjection(path, next),
      };
    }
    this.failures.set(path, next);
    return undefined;
  }
}
