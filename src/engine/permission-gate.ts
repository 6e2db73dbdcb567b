import type { Tool } from "../tool/types.ts";

/** The outcome of a permission check for one tool call. */
export type GateDecision = { allowed: true } | { allowed: false; message: string };

/**
 * The engine's permission port: decides whether one tool call may run, asking the user if the policy says so.
 * The CLI builds it from the policy layer (modes, rules, a TTY asker or a no-TTY denial). A denial's
 * `message` becomes the error tool result the model sees.
 */
export interface PermissionGate {
  /**
   * `call` is the tool call the check is for: its id, so an asker can name it (Claude Code's tool_use_id, ACP's
   * toolCallId), and `ask` (a tool middleware's reason, e.g. a hook's `ask` decision): where the policy would allow
   * the call, the user is asked instead; deny rules and modes still apply first, and nobody to ask is a denial.
   */
  check(tool: Tool, args: unknown, call?: GateCall): Promise<GateDecision>;
}

/** The tool call a permission check is for, and extra demands on the check (see PermissionGate.check). */
export interface GateCall {
  /** The tool call's id, as in the assistant message. */
  id?: string;
  /** Ask the user even if the policy allows the call; the reason shown. */
  ask?: string;
}

/** A gate that allows everything (tests, bypass). */
export const ALLOW_ALL: PermissionGate = { check: async () => ({ allowed: true }) };
