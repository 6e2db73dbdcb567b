import type { HookEvent } from "../../config/schema.ts";
import type { ToolMiddleware } from "../../engine/tool-middleware.ts";
import { claudeToolInput, claudeToolName } from "./claude-names.ts";
import { combineDecisions, type HookDecision, readHookRun } from "./decision.ts";
import { runHookCommand } from "./run-hook.ts";
import { type HookSpec, matcherSelects } from "./spec.ts";

/** What the hooks need to know about the session they run in (read when an event fires). */
export interface HookContext {
  /** The project root: hooks run there (`CLAUDE_PROJECT_DIR`). */
  projectRoot: string;
  /** The workspace directory (`cwd` of the event). */
  cwd: string;
  /** The environment of hook commands (already without credentials, see childEnv). */
  env: Readonly<Record<string, string>>;
  /** The session id and its transcript file, when sessions are on. */
  session: () => { id: string; path: string } | undefined;
  /** The permission mode in force (`permission_mode`). */
  permissionMode: () => string;
  /** One line for the user. */
  notify: (message: string) => void;
}

/**
 * The configured hooks and the dispatcher that runs them, Claude Code's model: for an event, every hook whose
 * matcher selects the tool runs at once (in parallel), each with the event as JSON on stdin — `session_id`,
 * `transcript_path`, `cwd`, `hook_event_name`, `permission_mode` and the event's fields (`tool_name` as Claude
 * Code names the tool, `owlet_tool_name` as owlet does, `tool_input` with both key sets, `tool_response`, `prompt`,
 * `stop_hook_active`, `source`, `reason`, `trigger`, `message`) — and their decisions are combined (see
 * readHookRun, combineDecisions). Notices (failed hooks, systemMessage) go to `notify`.
 */
export class Hooks {
  private readonly specs: readonly HookSpec[];
  private readonly ctx: HookContext;

  constructor(specs: readonly HookSpec[], ctx: HookContext) {
    this.specs = specs;
    this.ctx = ctx;
  }

  /** Whether any hook is configured for `event`. */
  has(event: HookEvent): boolean {
    return this.specs.some((s) => s.event === event);
  }

  /** Number of hooks configured. */
  get size(): number {
    return this.specs.length;
  }

  /**
   * Runs the hooks of `event` (for tool events, those whose matcher selects `toolName`) with `fields` added to the
   * common ones; resolves with the combined decision (nothing decided when no hook matches). Never throws.
   */
  async run(
    event: HookEvent,
    fields: Record<string, unknown>,
    opts: { toolName?: string; signal?: AbortSignal } = {},
  ): Promise<HookDecision> {
    const names = opts.toolName === undefined ? [] : [opts.toolName, claudeToolName(opts.toolName)];
    const chosen = this.specs.filter(
      (s) => s.event === event && (opts.toolName === undefined || matcherSelects(s.matcher, names)),
    );
    if (chosen.length === 0) return { notices: [] };
    const session = this.ctx.session();
    const input = JSON.stringify({
      session_id: session?.id ?? "",
      transcript_path: session?.path ?? "",
      cwd: this.ctx.cwd,
      hook_event_name: event,
      permission_mode: this.ctx.permissionMode(),
      ...fields,
    });
    const decisions = await Promise.all(
      chosen.map(async (spec) => {
        const run = await runHookCommand({
          command: spec.command,
          input,
          cwd: this.ctx.projectRoot,
          env: {
            ...this.ctx.env,
            CLAUDE_PROJECT_DIR: this.ctx.projectRoot,
            OWLET_PROJECT_DIR: this.ctx.projectRoot,
            ...spec.env,
          },
          timeoutMs: spec.timeoutMs,
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        return readHookRun(event, `"${shorten(spec.command)}" (${event})`, run);
      }),
    );
    const combined = combineDecisions(decisions);
    for (const line of combined.notices) this.ctx.notify(line);
    return combined;
  }

  /**
   * The tool middleware running PreToolUse (a block or `continue: false` refuses the call with the hook's
   * message, `ask` asks the user, additionalContext goes with the result) and PostToolUse (exit 2 or
   * `decision: "block"` feedback and additionalContext are added to the result) around every call.
   */
  middleware(): ToolMiddleware {
    return {
      name: "hooks",
      before: async (call, signal) => {
        if (!this.has("PreToolUse")) return undefined;
        const d = await this.run("PreToolUse", this.toolFields(call.tool.name, call.args, call.agentId), {
          toolName: call.tool.name,
          signal,
        });
        const block = d.block ?? d.stop;
        return {
          ...(block !== undefined ? { block: `blocked by a PreToolUse hook: ${block}` } : {}),
          ...(d.ask !== undefined ? { ask: d.ask } : {}),
          ...(d.context !== undefined ? { context: d.context } : {}),
        };
      },
      after: async (call, result, signal) => {
        if (!this.has("PostToolUse")) return undefined;
        const d = await this.run(
          "PostToolUse",
          {
            ...this.toolFields(call.tool.name, call.args, call.agentId),
            tool_response: { output: result.output, is_error: result.isError },
          },
          { toolName: call.tool.name, signal },
        );
        const feedback = d.block ?? d.stop;
        return {
          ...(feedback !== undefined ? { feedback: `PostToolUse hook: ${feedback}` } : {}),
          ...(d.context !== undefined ? { context: d.context } : {}),
        };
      },
    };
  }

  private toolFields(name: string, args: unknown, agentId: string | undefined): Record<string, unknown> {
    return {
      tool_name: claudeToolName(name),
      owlet_tool_name: name,
      tool_input: claudeToolInput(name, args, this.ctx.cwd),
      ...(agentId !== undefined ? { agent_id: agentId } : {}),
    };
  }
}

function shorten(command: string): string {
  const one = command.replace(/\s+/g, " ").trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
