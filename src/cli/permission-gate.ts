import type { GateDecision, PermissionGate } from "../engine/permission-gate.ts";
import { type Asker, mainArgument, type PermissionPolicy, permissionDeniedMessage } from "../policy/index.ts";
import type { Tool } from "../tool/types.ts";

/**
 * Builds the engine's permission gate from the policy (modes and rules) and an asker. `interactive` says
 * whether a person can answer (a TTY): without one, an `ask` becomes a denial whose message tells the model
 * and the user to use `--permission-mode`.
 */
export function permissionGate(policy: PermissionPolicy, asker: Asker, interactive: boolean): PermissionGate {
  return {
    async check(tool: Tool, args: unknown): Promise<GateDecision> {
      const verdict = await policy.decide({
        tool: tool.name,
        readOnly: tool.readOnly,
        destructive: tool.destructive,
        category: tool.category,
        args,
      });
      if (verdict.decision === "allow") return { allowed: true };
      if (verdict.decision === "ask" && interactive) {
        const request = { tool: tool.name, summary: mainArgument(tool.name, args), reason: verdict.reason };
        if (await asker(verdict.sensitive ? { ...request, warning: verdict.reason } : request))
          return { allowed: true };
        return { allowed: false, message: permissionDeniedMessage(tool.name, "the user declined", true) };
      }
      // A deny (rule, mode) is final: only an unanswerable ask gets the "no terminal, use --permission-mode" advice.
      const unanswered = verdict.decision === "ask";
      return {
        allowed: false,
        message: permissionDeniedMessage(tool.name, verdict.reason, !unanswered || interactive),
      };
    },
  };
}
