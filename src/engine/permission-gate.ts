import type { Tool } from "../tool/types.ts";

/** The outcome of a permission check for one tool call. */
export type GateDecision = { allowed: true } | { allowed: false; message: string };

/**
 * The engine's permission port: decides whether one tool call may run, asking the user if the policy says so.
 * The CLI builds it from the policy layer (modes, rules, a TTY asker or a no-TTY denial). A denial's
 * `message` becomes the error tool result the model sees.
 */
export interface PermissionGate {
  /** `call` identifies the tool call (its id), so an asker can name it (Claude Code's tool_use_id, ACP's toolCallId). */
  check(tool: Tool, args: unknown, call?: GateCall): Promise<GateDecision>;
}

/** The tool call a permission check is for. */
export interface GateCall {
  /** The tool call's id, as in the assistant message. */
  id: string;
}

/** A gate that allows everything (tests, bypass). */
export const ALLOW_ALL: PermissionGate = { check: async () => ({ allowed: true }) };
