import type { Tool } from "../tool/types.ts";

/**
 * One tool call as a middleware sees it: the call's id, the tool (name, category, read-only…), its validated
 * arguments, and the id of the agent making it (undefined for the main agent; see EngineOptions.agentId).
 */
export interface MiddlewareCall {
  id: string;
  tool: Tool;
  args: unknown;
  agentId?: string;
}

/**
 * What a middleware says before a call runs. `block`: the call does not run and the model gets this message as
 * an error result (as a Claude Code PreToolUse hook's exit 2 or `deny`). `ask`: the call runs only if the user
 * approves it, even where the permission policy would allow it (the gate's deny rules and modes still apply
 * first; nobody to ask is a denial); the value is the reason shown. `context`: text added to the call's result
 * for the model. Nothing else about the call can be changed: a middleware cannot loosen a permission, rewrite
 * arguments or replace a result.
 */
export interface BeforeToolOutcome {
  block?: string;
  ask?: string;
  context?: string;
}

/**
 * What a middleware says after a call ran, given its (already redacted) output. `feedback`: a message for the
 * model about the call (a PostToolUse hook's exit 2 or `block`), `context`: extra context; both are added to the
 * result the model sees, which otherwise stays as the tool returned it.
 */
export interface AfterToolOutcome {
  feedback?: string;
  context?: string;
}

/**
 * A wrapper around every tool call the engine runs (built-ins, MCP tools, subagents): `before` runs after the
 * arguments are parsed and before the permission gate; `after` runs once the tool returned (not for calls that
 * were blocked, denied or malformed). Middlewares run in list order; the first `block` wins, and later
 * middlewares do not see that call. A middleware that throws is treated as having said nothing, with a warning.
 * Tools never know about middlewares: hooks are wrapped around them here (as gnoma's hooked tool decorator, and
 * Claude Code's PreToolUse/PostToolUse).
 */
export interface ToolMiddleware {
  /** Short name for warnings, e.g. "hooks". */
  readonly name: string;
  before?(call: MiddlewareCall, signal: AbortSignal): Promise<BeforeToolOutcome | undefined>;
  after?(
    call: MiddlewareCall,
    result: { output: string; isError: boolean },
    signal: AbortSignal,
  ): Promise<AfterToolOutcome | undefined>;
}

/** The combined verdict of every middleware's `before` for one call. */
export interface BeforeVerdict {
  block?: string;
  ask?: string;
  context: string[];
}

/**
 * Runs every middleware's `before` in order (stopping at the first block) and combines them: the first block,
 * the first ask, and every context in order. `warn` gets a line for a middleware that threw.
 */
export async function runBefore(
  middlewares: readonly ToolMiddleware[],
  call: MiddlewareCall,
  signal: AbortSignal,
  warn: (message: string) => void,
): Promise<BeforeVerdict> {
  const verdict: BeforeVerdict = { context: [] };
  for (const m of middlewares) {
    if (!m.before) continue;
    let out: BeforeToolOutcome | undefined;
    try {
      out = await m.before(call, signal);
    } catch (err) {
      warn(`${m.name}: ${err instanceof Error ? err.message : String(err)} (ignored for ${call.tool.name})`);
      continue;
    }
    if (!out) continue;
    if (out.context) verdict.context.push(out.context);
    if (out.ask !== undefined && verdict.ask === undefined) verdict.ask = out.ask;
    if (out.block !== undefined) {
      verdict.block = out.block;
      break;
    }
  }
  return verdict;
}

/** Runs every middleware's `after` in order; returns the texts to add to the result (feedback, then context). */
export async function runAfter(
  middlewares: readonly ToolMiddleware[],
  call: MiddlewareCall,
  result: { output: string; isError: boolean },
  signal: AbortSignal,
  warn: (message: string) => void,
): Promise<string[]> {
  const added: string[] = [];
  for (const m of middlewares) {
    if (!m.after) continue;
    try {
      const out = await m.after(call, result, signal);
      if (out?.feedback) added.push(out.feedback);
      if (out?.context) added.push(out.context);
    } catch (err) {
      warn(`${m.name}: ${err instanceof Error ? err.message : String(err)} (ignored for ${call.tool.name})`);
    }
  }
  return added;
}
