import type { DetectorTrip } from "./types.ts";

/** Identical calls (same tool, same arguments) in one turn that trip (opencode's and Roo's doom-loop 3×). */
export const REPEATED_CALL_THRESHOLD = 3;
/** Identical calls that failed each time that trip: a deterministic failure repeated is a loop already. */
export const REPEATED_FAILURE_THRESHOLD = 2;

/** One tool call's outcome as the detector sees it. */
export interface ToolCallOutcome {
  name: string;
  /** The raw argument JSON as the model sent it. */
  arguments: string;
  isError: boolean;
  /** First line of the result, quoted in the correction. */
  firstLine: string;
  /** True when the call succeeded and may have changed the workspace (a write or exec tool). */
  changedState: boolean;
}

/**
 * Tool-loop detector (anchors §6: opencode/Roo count 3 identical tool+input calls; gemini-cli 5): per turn,
 * counts identical calls, keyed by tool name and canonical arguments (key order and whitespace ignored).
 * Trips when one call is repeated {@link REPEATED_CALL_THRESHOLD} times, or fails
 * {@link REPEATED_FAILURE_THRESHOLD} times in a row with nothing changed in between. A successful write or
 * exec call resets the other calls' counts, since re-running a test after an edit is progress, not a loop.
 * A trip resets that call's count, so a correction is injected once per repetition run.
 */
export class ToolLoopDetector {
  private readonly counts = new Map<string, { calls: number; failures: number }>();

  /** Forgets every count: the workspace changed (e.g. a successful edit), so repeating a call is progress. */
  workspaceChanged(): void {
    this.counts.clear();
  }

  /** Records one call; returns a trip when it completes a loop. */
  record(outcome: ToolCallOutcome): DetectorTrip | undefined {
    const key = `${outcome.name}\u0000${canonicalArguments(outcome.arguments)}`;
    if (outcome.changedState) {
      for (const k of this.counts.keys()) if (k !== key) this.counts.delete(k);
    }
    const entry = this.counts.get(key) ?? { calls: 0, failures: 0 };
    entry.calls++;
    entry.failures = outcome.isError ? entry.failures + 1 : 0;
    this.counts.set(key, entry);
    const failing = entry.failures >= REPEATED_FAILURE_THRESHOLD;
    if (!failing && entry.calls < REPEATED_CALL_THRESHOLD) return undefined;
    this.counts.delete(key);
    const times = failing ? entry.failures : entry.calls;
    return {
      detector: "tool_loop",
      reason: `${outcome.name} called ${times} times with the same arguments${failing ? ", failing each time" : ""}`,
      injection: toolLoopInjection(outcome.name, times, failing ? outcome.firstLine : undefined),
    };
  }
}

/** The corrective message: short, since small models pay for every token of it. */
export function toolLoopInjection(name: string, times: number, error?: string): string {
  const what = error
    ? `failed ${times} times with the same arguments (${error}). The same call will fail again`
    : `was called ${times} times with the same arguments. Its result will not change`;
  return `[system] ${name} ${what}. Use different arguments (e.g. a path listed by fs_ls), another tool, or answer now with what you know.`;
}

/** Arguments as canonical JSON (sorted keys), or the trimmed raw text when they do not parse. */
function canonicalArguments(raw: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(raw)));
  } catch {
    return raw.trim();
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortKeys(v)]),
  );
}
