import type { HookEvent } from "../../config/schema.ts";
import type { HookRun } from "./run-hook.ts";

/**
 * What one event's hooks decided, combined. `block`: the call, prompt or stop is refused (for Stop/SubagentStop:
 * the turn goes on), with the text for the model (tool and stop events) or the user (UserPromptSubmit). `ask`: a
 * PreToolUse `ask`. `context`: text for the model (additionalContext; for UserPromptSubmit and SessionStart also
 * plain stdout). `stop`: `continue: false` with its stopReason. `notices`: lines for the user (systemMessage,
 * failed or timed-out hooks, exit-2 stderr of events that cannot block).
 */
export interface HookDecision {
  block?: string;
  ask?: string;
  context?: string;
  stop?: string;
  notices: string[];
}

/** Events whose exit 2 blocks something (the others show stderr to the user only), as in Claude Code. */
const BLOCKING: ReadonlySet<HookEvent> = new Set([
  "PreToolUse",
  "PostToolUse",
  "UserPromptSubmit",
  "Stop",
  "SubagentStop",
]);

/** Events whose plain (non-JSON) stdout on exit 0 is context for the model, as in Claude Code. */
const STDOUT_IS_CONTEXT: ReadonlySet<HookEvent> = new Set(["UserPromptSubmit", "SessionStart"]);

/**
 * Reads one hook run as Claude Code does (its hooks reference): exit 0 continues, its stdout parsed as JSON when
 * it is an object (`continue`/`stopReason`, `systemMessage`, `decision: "block"|"approve"` with `reason`,
 * `hookSpecificOutput.permissionDecision: "allow"|"deny"|"ask"` with `permissionDecisionReason`, and
 * `hookSpecificOutput.additionalContext`); exit 2 blocks with stderr; any other exit, a timeout or a command that
 * cannot start is a non-blocking error (a notice). An `allow` or `approve` decides nothing: a hook only tightens.
 */
export function readHookRun(event: HookEvent, label: string, run: HookRun): HookDecision {
  const notices: string[] = [];
  if (run.spawnError) return { notices: [`hook ${label} could not start: ${run.spawnError}`] };
  if (run.timedOut) return { notices: [`hook ${label} timed out and was killed`] };
  const stderr = run.stderr.trim();
  if (run.exitCode === 2) {
    const text = stderr || `blocked by hook ${label}`;
    return BLOCKING.has(event) ? { block: text, notices } : { notices: [`hook ${label}: ${text}`] };
  }
  if (run.exitCode !== 0) {
    const why = stderr ? `: ${firstLine(stderr)}` : "";
    return { notices: [`hook ${label} failed (exit ${String(run.exitCode)})${why}`] };
  }
  const out = run.stdout.trim();
  const json = parseObject(out);
  if (!json) return STDOUT_IS_CONTEXT.has(event) && out ? { context: out, notices } : { notices };
  const decision: HookDecision = { notices };
  if (typeof json.systemMessage === "string") notices.push(json.systemMessage);
  if (json.continue === false)
    decision.stop = typeof json.stopReason === "string" ? json.stopReason : `stopped by hook ${label}`;
  const specific = isObject(json.hookSpecificOutput) ? json.hookSpecificOutput : {};
  if (typeof specific.additionalContext === "string" && specific.additionalContext)
    decision.context = specific.additionalContext;
  const reason = typeof json.reason === "string" ? json.reason : undefined;
  if (event === "PreToolUse") {
    const permission = specific.permissionDecision;
    const why =
      typeof specific.permissionDecisionReason === "string" ? specific.permissionDecisionReason : reason;
    if (permission === "deny" || json.decision === "block") decision.block = why ?? `denied by hook ${label}`;
    else if (permission === "ask") decision.ask = why ?? `hook ${label} asks for approval`;
  } else if (BLOCKING.has(event) && json.decision === "block") {
    decision.block = reason ?? `blocked by hook ${label}`;
  }
  return decision;
}

/** The decisions of one event's hooks as one: blocks and contexts joined in order, the first ask and stop. */
export function combineDecisions(decisions: readonly HookDecision[]): HookDecision {
  const out: HookDecision = { notices: [] };
  const blocks: string[] = [];
  const contexts: string[] = [];
  for (const d of decisions) {
    out.notices.push(...d.notices);
    if (d.block !== undefined) blocks.push(d.block);
    if (d.context !== undefined) contexts.push(d.context);
    if (d.ask !== undefined && out.ask === undefined) out.ask = d.ask;
    if (d.stop !== undefined && out.stop === undefined) out.stop = d.stop;
  }
  if (blocks.length > 0) out.block = blocks.join("\n");
  if (contexts.length > 0) out.context = contexts.join("\n");
  return out;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0]!;
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
