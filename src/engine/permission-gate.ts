import type { Tool } from "../tool/types.ts";

/** The outcome of a permission check for one tool call. */
export type GateDecision = { allowed: true } | { allowed: false; message: string };

/**
 * The engine's permission port: decides whether one tool call may run, asking the user if the policy says so.
 * The CLI builds it from the policy layer (modes, rules, a TTY asker or a no-TTY denial). A denial's
 * `message` becomes the error tool result the model sees.
 */
export interface PermissionGate {
  check(tool: Tool, args: unknown): Promise<GateDecision>;
}

/** A gate that allows everything (tests, bypass). */
export const ALLOW_ALL: PermissionGate = { check: async () => ({ allowed: true }) };
