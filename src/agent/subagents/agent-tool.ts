import { readFileSync } from "node:fs";
import { z } from "zod";
import { Engine, type EngineOptions } from "../../engine/engine.ts";
import type { RoutingPolicy } from "../../engine/routing.ts";
import type { AgentDefinition } from "../../extension/agents/definitions.ts";
import type { Hooks } from "../../extension/hooks/hooks.ts";
import type { Session } from "../../session/index.ts";
import { ReadLedger } from "../../tool/read-ledger.ts";
import { ToolRegistry } from "../../tool/registry.ts";
import type { Tool, ToolOutput } from "../../tool/types.ts";
import type { SubagentLimiter } from "./limiter.ts";

/** What the tool is for (agent-tool.md); the list of agents follows it. */
const DESCRIPTION = readFileSync(new URL("./agent-tool.md", import.meta.url), "utf8").trim();

/** The agent tool's name (Claude Code's Task tool). */
export const AGENT_TOOL = "agent";
/** The two-stage category holding the agent tool. */
export const AGENTS_CATEGORY = "agents";

/** What the agent tool needs from the agent that owns it. */
export interface SubagentSetup {
  definitions: readonly AgentDefinition[];
  /** The parent's tools (read at each call: MCP tools may have arrived since). */
  tools: ToolRegistry;
  /** The parent engine's options: children run with the same, but their own tools, history, events and transcript. */
  engine: EngineOptions;
  /** The parent's routing; a child gets its own view of it (see RoutingPolicy.forAgent). */
  routing: RoutingPolicy;
  limiter: SubagentLimiter;
  /** The session children's transcripts are stored beside; absent: not stored. */
  session?: Session;
  hooks?: Hooks;
}

/** Arguments of the agent tool. */
export interface AgentToolArgs {
  prompt: string;
  description?: string;
  agent?: string;
}

/**
 * The `agent` tool (Claude Code's Task tool, gnoma's elfs): the model hands a task to a child agent — a new engine
 * with its own history, the definition's tools (never the agent tool itself: no recursion), the definition's arm
 * if it names one (else the parent's routing, through its own view so parallel turns keep their contexts), the
 * parent's permission gate, hooks, results store, budgets, two-stage routing and detectors — and gets the child's
 * final text as the result (an error result when the child's turn did not succeed). Its events reach the parent's
 * listeners with `agentId` (`agent-1`, …); its transcript is written beside the session and linked from it.
 * Declared read-only so several calls run at once; the limiter lets read-only children (every tool they have is
 * read-only, e.g. the built-in `explore`) run side by side up to `[agents] max_parallel`, and any other child alone.
 */
export function agentTool(setup: SubagentSetup): Tool<AgentToolArgs> {
  let counter = 0;
  const names = setup.definitions.map((d) => d.name);
  const list = setup.definitions.map((d) => `- ${d.name}: ${d.description}`).join("\n");
  return {
    name: AGENT_TOOL,
    description: `${DESCRIPTION} Agents:\n${list}`,
    parameters: z.strictObject({
      prompt: z.string().min(1).describe("the whole task for the subagent"),
      description: z.string().optional().describe("3-5 words on the task"),
      agent: z
        .string()
        .optional()
        .describe(`agent to use: ${names.join(", ")} (default general)`),
    }),
    category: AGENTS_CATEGORY,
    categoryHint: "hand a task to a subagent",
    readOnly: true,
    destructive: false,
    async run(args, ctx): Promise<ToolOutput> {
      const def = setup.definitions.find((d) => d.name === (args.agent ?? "general"));
      if (!def)
        return { output: `no agent named "${args.agent}". Agents: ${names.join(", ")}.`, isError: true };
      const id = `agent-${++counter}`;
      const tools = childTools(setup.tools, def);
      const readOnly = tools.all().every((t) => t.readOnly && !t.destructive);
      return setup.limiter.run(
        readOnly,
        () => runChild(setup, def, id, tools, readOnly, args, ctx.signal),
        ctx.signal,
      );
    },
  };
}

/** The tools a child gets: the definition's (by owlet or Claude Code name), or all; never the agent tool. */
function childTools(parent: ToolRegistry, def: AgentDefinition): ToolRegistry {
  const registry = new ToolRegistry();
  for (const tool of parent.all()) {
    if (tool.name === AGENT_TOOL) continue;
    if (def.tools === undefined || def.tools.includes(tool.name)) registry.register(tool);
  }
  return registry;
}

async function runChild(
  setup: SubagentSetup,
  def: AgentDefinition,
  id: string,
  tools: ToolRegistry,
  readOnly: boolean,
  args: AgentToolArgs,
  signal: AbortSignal,
): Promise<ToolOutput> {
  const base = setup.engine;
  let routing = setup.routing;
  let note = "";
  if (setup.routing.forAgent) {
    try {
      routing = setup.routing.forAgent(def.model !== undefined ? { armId: def.model } : {});
    } catch (err) {
      note = ` (model "${def.model}" of agent ${def.name} is not an arm: ${err instanceof Error ? err.message : String(err)}; the parent's routing was used)`;
      routing = setup.routing.forAgent();
    }
  } else if (def.model !== undefined) {
    note = ` (model "${def.model}" of agent ${def.name} was not used: there is one arm, no [[arms]] router)`;
  }
  const description = args.description ?? args.prompt.slice(0, 60);
  let transcript: ReturnType<Session["subagentTranscript"]> | undefined;
  const hooks = setup.hooks;
  const engine = new Engine({
    ...base,
    tools,
    routing,
    agentId: id,
    toolContext: { ...base.toolContext, reads: new ReadLedger() },
    // The parent's results store, the child's call ids prefixed with its id (ids repeat across engines).
    ...(base.store ? { store: base.store.scoped(id) } : {}),
    systemPrompt: (arm) => `${base.systemPrompt(arm)}\n\n${def.prompt}`,
    // A read-only child cannot change anything: its task ("find where add is wrong") never ends as no_changes.
    ...(readOnly ? { expectsChanges: () => false } : {}),
    onMessage: (m) => transcript?.append(m),
    onUsage: (u, round, armId) => transcript?.appendUsage(u, round, armId),
    // A child's summary compaction is its own: it must not replace the parent session's view.
    onCompaction: undefined,
    ...(hooks?.has("SubagentStop")
      ? {
          beforeStop: async ({ again }: { again: boolean }) =>
            (await hooks.run("SubagentStop", { stop_hook_active: again, agent_id: id, agent_type: def.name }))
              .block,
        }
      : { beforeStop: undefined }),
  } satisfies EngineOptions);
  if (setup.session) {
    transcript = setup.session.subagentTranscript(id, {
      agent: def.name,
      description,
      provider: "subagent",
      model: def.model ?? "inherit",
    });
  }
  const result = await engine.runTurn(args.prompt, signal);
  const metadata = {
    agentId: id,
    agent: def.name,
    status: result.status,
    rounds: result.rounds,
    ...(result.arm ? { arm: result.arm } : {}),
    ...(transcript ? { transcript: transcript.path } : {}),
  };
  if (result.status === "success")
    return { output: `${result.text || "(the subagent gave no text)"}${note}`, metadata };
  return {
    output: `subagent ${id} (${def.name}) ended with ${result.status}${result.error ? `: ${result.error}` : ""}${note}${result.text ? `\nits last reply: ${result.text}` : ""}`,
    isError: true,
    metadata,
  };
}
