import type { PermissionMode } from "./modes.ts";

/** What a mode decides, with no rule matching, for three kinds of call: read-only, an edit, anything else. */
const DECISIONS: Record<PermissionMode, readonly [number, number, number]> = {
  // deny 0 < ask 1 < allow 2 (see modeDecision in permissions.ts)
  deny: [0, 0, 0],
  plan: [2, 0, 0],
  default: [1, 1, 1],
  auto: [2, 1, 1],
  accept_edits: [2, 2, 1],
  bypass: [2, 2, 2],
};

/**
 * True when mode `a` allows nothing that mode `b` would not: for read-only calls, edits and every other call, `a`'s
 * decision (deny < ask < allow) is at most `b`'s. A partial order: `plan` and `default` are not comparable (plan
 * allows reads without asking, default asks for them). Used so an untrusted project config can only tighten.
 */
export function modeAtMost(a: PermissionMode, b: PermissionMode): boolean {
  const da = DECISIONS[a];
  const db = DECISIONS[b];
  return da.every((d, i) => d <= db[i]!);
}
