import type { OwletConfig } from "../config/schema.ts";
import type { GateCall, GateDecision, PermissionGate } from "../engine/permission-gate.ts";
import {
  type Asker,
  mainArgument,
  noTtyAsker,
  PermissionPolicy,
  permissionDeniedMessage,
} from "../policy/index.ts";
import { probeSandbox } from "../tool/sandbox/probe.ts";
import type { Tool } from "../tool/types.ts";

/** The permission side of an agent: the policy (modes, rules) and the gates the engine asks. */
export interface AgentGates {
  policy: PermissionPolicy;
  /** The gate for the model's calls. */
  gate: PermissionGate;
  /** The gate for owlet's own check run (see {@link checkGate}). */
  checkGate: PermissionGate;
}

/**
 * The policy and gates for `config` (`[permission]` mode and rules; the sandbox probe unless `[sandbox] mode` is
 * off). `ask` answers an `ask` verdict; without it nobody can answer and an ask is a denial (see permissionGate).
 * The check run is allowed without asking in accept_edits with the workspace-write sandbox usable. `notify` gets
 * the policy's warnings (e.g. the sandbox is unavailable).
 */
export function buildGates(
  config: OwletConfig,
  ask: Asker | undefined,
  notify: (message: string) => void,
): AgentGates {
  const policy = new PermissionPolicy({
    mode: config.permission.mode,
    rules: config.permission.rules ?? [],
    ...(config.sandbox.mode === "off" ? {} : { sandbox: probeSandbox }),
    warn: notify,
  });
  const gate = permissionGate(policy, ask ?? noTtyAsker, ask !== undefined);
  return {
    policy,
    gate,
    checkGate: checkGate(
      policy,
      gate,
      async () =>
        config.permission.mode === "accept_edits" &&
        config.sandbox.mode === "workspace-write" &&
        (await probeSandbox()).ok,
    ),
  };
}

/**
 * Builds the engine's permission gate from the policy (modes and rules) and an asker. `interactive` says
 * whether a person can answer (a TTY): without one, an `ask` becomes a denial whose message tells the model
 * and the user to use `--permission-mode`. The asker gets the call's arguments (to show the command or diff);
 * an AskAnswer's `rule` is added to the policy for the session, its `note` goes into the denial the model sees.
 * A check with `call.ask` (a hook's `ask`) turns the policy's `allow` into an ask with that reason: a hook can
 * make a call ask, never skip a deny or an ask.
 */
export function permissionGate(policy: PermissionPolicy, asker: Asker, interactive: boolean): PermissionGate {
  return {
    async check(tool: Tool, args: unknown, call?: GateCall): Promise<GateDecision> {
      const policyVerdict = await verdictFor(policy, tool, args);
      const verdict =
        policyVerdict.decision === "allow" && call?.ask !== undefined
          ? { decision: "ask" as const, reason: call.ask, sensitive: undefined }
          : policyVerdict;
      if (verdict.decision === "allow") return { allowed: true };
      if (verdict.decision === "ask" && interactive) {
        const request = {
          tool: tool.name,
          summary: mainArgument(tool.name, args),
          reason: verdict.reason,
          args,
          ...(call?.id !== undefined ? { callId: call.id } : {}),
        };
        const answer = await asker(verdict.sensitive ? { ...request, warning: verdict.reason } : request);
        const { allow, rule, note } = typeof answer === "boolean" ? { allow: answer } : answer;
        if (allow) {
          // "Allow always for this session": the rule joins the policy (never saved), checked as any rule.
          if (rule) policy.addRule(rule);
          return { allowed: true };
        }
        const reason = note?.trim() ? `the user declined and said: ${note.trim()}` : "the user declined";
        return { allowed: false, message: permissionDeniedMessage(tool.name, reason, true) };
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

/**
 * The gate for owlet's own check run (the fix loop's test command, EngineOptions.checkGate): when
 * `sandboxedAutoAllow()` says so (accept_edits mode with the bash sandbox on and usable, see createAgent), an
 * `ask` for it is allowed: the tests run sandboxed (no network, writes confined to the workspace, which
 * accept_edits already lets the model change), as Claude Code's `autoAllowBashIfSandboxed` allows sandboxed
 * commands. An `allow` or a deny of the policy (a rule, a mode) is kept; otherwise `gate` decides as usual.
 */
export function checkGate(
  policy: PermissionPolicy,
  gate: PermissionGate,
  sandboxedAutoAllow: () => Promise<boolean>,
): PermissionGate {
  return {
    async check(tool: Tool, args: unknown, call?: GateCall): Promise<GateDecision> {
      const verdict = await verdictFor(policy, tool, args);
      if (call?.ask === undefined && verdict.decision === "ask" && (await sandboxedAutoAllow()))
        return { allowed: true };
      return gate.check(tool, args, call);
    },
  };
}

/** The policy's verdict on one call of `tool`. */
function verdictFor(policy: PermissionPolicy, tool: Tool, args: unknown) {
  return policy.decide({
    tool: tool.name,
    readOnly: tool.readOnly,
    destructive: tool.destructive,
    category: tool.category,
    args,
  });
}
