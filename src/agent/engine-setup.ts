/** Config → the engine's options: prompts, limits, timeouts, token counting, the fix loop and persistence hooks. */
import { join } from "node:path";
import type { OwletConfig } from "../config/schema.ts";
import { detectCheckCommand } from "../context/check-command.ts";
import { COMPACT_DOCS_MAX_BYTES, FULL_DOCS_MAX_BYTES, fitParts } from "../context/project-docs.ts";
import { systemPrompt } from "../context/system-prompt.ts";
import { familyCounter, modelCounter, type TokenCounter } from "../context/tokens.ts";
import type { CompactionOptions } from "../engine/compaction.ts";
import type { EngineOptions } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import type { ToolCallWrapper } from "../engine/execute-tools.ts";
import type { ArmHandle, RoutingPolicy } from "../engine/routing.ts";
import type { TwoStageSetting } from "../engine/two-stage.ts";
import type { Message, Usage } from "../message/types.ts";
import { resolveToolName } from "../provider/textcalls/names.ts";
import { repairJson } from "../provider/textcalls/repair.ts";
import type { Session } from "../session/index.ts";
import type { ToolRegistry } from "../tool/registry.ts";
import { ResultsStore } from "../tool/results-store.ts";
import type { ToolContext } from "../tool/types.ts";
import type { AgentGates } from "./permission-gate.ts";
import { promptAsksForChange } from "./prompt-intent.ts";

/** What {@link engineOptions} wires together; everything but the config is already built. */
export interface EngineSetup {
  config: OwletConfig;
  /** Absolute workspace directory (system prompt, check command). */
  cwd: string;
  routing: RoutingPolicy;
  tools: ToolRegistry;
  toolContext: Omit<ToolContext, "signal">;
  gates: AgentGates;
  /**
   * The instruction files (the user's AGENTS.md, the project's AGENTS.md/CLAUDE.md/.owlet/OWLET.md, the nearest
   * ones of the workspace's directory), each `# <file>\n<text>`, already redacted; added to the system prompt,
   * cut per arm to fit (see docsBytesFor).
   */
  projectDocs?: string[];
  /** Replaces the system prompt (--system). */
  systemOverride?: string;
  /** Appended to the system prompt, the default or the override, after a blank line (--append-system-prompt). */
  systemAppend?: string;
  /** The session messages and usage go to; absent: nothing is stored. */
  session?: Session;
  /** Directory of the project's sessions; a session's large tool results go in `<id>.results` under it. */
  sessionsDir: string;
  /** Sampling seed (--seed). */
  seed?: number;
  onEvent: (event: EngineEvent) => void;
  /** The arm that writes summaries (`[context] summary_arm`); default the turn's arm. */
  summaryArm?: ArmHandle;
  /** The PreCompact hook point (hooks plug in here). */
  beforeCompact?: CompactionOptions["beforeCompact"];
  /** The price of one request's usage on an arm, USD, when known (stored with the usage record). */
  priceOf?: (armId: string, usage: Usage) => number | undefined;
  /** Wraps every tool call that runs (checkpoints). */
  wrapToolCall?: ToolCallWrapper;
  /** Every message appended to history, after the session stored it (front ends that render whole messages). */
  onMessage?: (message: Message) => void;
}

/**
 * The engine's options for `setup`: the system prompt (compact for local arms), `[engine]` limits and per-arm
 * stream timeouts (config seconds → ms), two-stage routing, output budget, temperature and seed, the best token
 * counter per arm, JSON repair and loose tool names of the text tool-call layer, the fix loop (change-asking
 * prompts, the workspace's check command and its gate), summary compaction (`[context]`, the summary arm, the
 * PreCompact hook), the tool-call wrapper (checkpoints), and, with a session, the results store and the
 * message, priced usage and summary hooks.
 */
export function engineOptions(setup: EngineSetup): EngineOptions {
  const { config, cwd, session } = setup;
  const e = config.engine;
  const docs = setup.projectDocs ?? [];
  return {
    routing: setup.routing,
    tools: setup.tools,
    toolContext: setup.toolContext,
    systemPrompt: (arm) => {
      const fitted = fitParts(docs, docsBytesFor(arm));
      const base =
        setup.systemOverride ??
        systemPrompt({
          variant: arm.local ? "compact" : "full",
          cwd,
          ...(fitted ? { projectDocs: fitted } : {}),
        });
      return setup.systemAppend ? `${base}\n\n${setup.systemAppend}` : base;
    },
    gate: setup.gates.gate,
    ...(session ? { store: new ResultsStore(join(setup.sessionsDir, `${session.id}.results`)) } : {}),
    maxTurns: e.max_turns,
    expectsChanges: promptAsksForChange,
    checkCommand: (prompt) => detectCheckCommand(cwd, prompt),
    checkGate: setup.gates.checkGate,
    streamTimeouts: (arm) =>
      arm.local
        ? { firstByteMs: e.first_byte_timeout_local * 1000, idleMs: e.idle_timeout_local * 1000 }
        : { firstByteMs: e.first_byte_timeout * 1000, idleMs: e.idle_timeout * 1000 },
    turnTimeoutMs: e.turn_timeout * 1000,
    twoStage: twoStageSetting(config),
    ...(config.provider.max_output_tokens ? { maxOutputTokens: config.provider.max_output_tokens } : {}),
    ...(config.provider.temperature !== undefined ? { temperature: config.provider.temperature } : {}),
    ...(setup.seed !== undefined ? { seed: setup.seed } : {}),
    tokenCounter,
    repairJson: (text) => {
      const r = repairJson(text);
      return r ? JSON.stringify(r.value) : undefined;
    },
    resolveToolName,
    onEvent: setup.onEvent,
    compaction: {
      enabled: config.context.compaction,
      threshold: config.context.compact_threshold,
      ...(setup.summaryArm ? { summaryArm: () => setup.summaryArm! } : {}),
      ...(setup.beforeCompact ? { beforeCompact: setup.beforeCompact } : {}),
    },
    ...(setup.wrapToolCall ? { wrapToolCall: setup.wrapToolCall } : {}),
    ...(session || setup.onMessage
      ? {
          onMessage: (m: Message) => {
            session?.append(m);
            setup.onMessage?.(m);
          },
        }
      : {}),
    ...(session
      ? {
          onUsage: (u, round, armId) => session.appendCostedUsage(u, round, armId, setup.priceOf?.(armId, u)),
          onCompaction: (record) => session.appendSummary(record),
        }
      : {}),
  };
}

/** Share of a local arm's context window its instruction files may take: 10 % (owlet's figure). */
export const DOCS_WINDOW_SHARE = 0.1;

/**
 * The most bytes of instruction files an arm's system prompt carries: 16 KiB for cloud arms; for local arms 4 KiB,
 * or {@link DOCS_WINDOW_SHARE} of a known window at 4 bytes per token when that is less (a 4,096-token window:
 * 1,636 bytes), so the instructions count against the prompt budget and are cut with a note when too long.
 */
export function docsBytesFor(arm: ArmHandle): number {
  if (!arm.local) return FULL_DOCS_MAX_BYTES;
  const byWindow = arm.contextWindow ? Math.floor(arm.contextWindow * DOCS_WINDOW_SHARE) * 4 : Infinity;
  return Math.min(COMPACT_DOCS_MAX_BYTES, byWindow);
}

/**
 * The best token counter for an arm's prompts: the model's own tokenizer once it is loaded (the provider's
 * optional `countTokens` ability, usable once `contextWindow` is known; a lazily loaded arm counts by its
 * family until then), else the model family's tokenizer or the estimate.
 */
export function tokenCounter(arm: ArmHandle): TokenCounter {
  const own = arm.provider;
  if (own.countTokens && own.contextWindow !== undefined) return modelCounter(own.countTokens.bind(own));
  return familyCounter(arm.model);
}

/** `[router] two_stage` (the flags are layered in) → the engine's setting: off, on (also `force_two_stage`), or auto. */
export function twoStageSetting(config: OwletConfig): TwoStageSetting {
  if (config.router.two_stage === false) return "off";
  if (config.router.two_stage === true || config.router.force_two_stage) return "on";
  return "auto";
}
