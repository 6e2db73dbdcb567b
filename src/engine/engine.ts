import { implicatedFiles, isTestFile, summariseCheckOutput } from "../context/check-output.ts";
import { measureMessage, type RequestParts } from "../context/measure.ts";
import type { TokenCounter } from "../context/tokens.ts";
import { estimateCounter } from "../context/tokens.ts";
import {
  addUsage,
  assistantText,
  emptyUsage,
  isToolResultsMessage,
  textOf,
  toolCallsOf,
  toolResultsMessage,
  userText,
} from "../message/build.ts";
import type { ContentBlock, Message, ToolCallBlock, ToolResultBlock, Usage } from "../message/types.ts";
import { parseToolCalls } from "../provider/textcalls/parse.ts";
import type { ProviderRequest } from "../provider/types.ts";
import { currentSources, type NoReplyEdits, replyEdits } from "../tool/edit-formats/reply-edits.ts";
import { MAX_MENTIONED_FILES, mentionedFiles } from "../tool/mentions.ts";
import type { ToolRegistry } from "../tool/registry.ts";
import type { ResultsStore } from "../tool/results-store.ts";
import { toolSchema } from "../tool/schema.ts";
import type { Tool, ToolContext } from "../tool/types.ts";
import {
  type CompactionOptions,
  type CompactionRecord,
  Compactor,
  type CompactRequest,
  promptRoom,
} from "./compaction.ts";
import { cutCallResults } from "./cut-calls.ts";
import { detectGreeting } from "./detectors/greeting.ts";
import { PATCH_TOOLS, PatchSpiralDetector } from "./detectors/patch-spiral.ts";
import { RepetitionDetector } from "./detectors/repetition.ts";
import { ToolLoopDetector } from "./detectors/tool-loop.ts";
import type { DetectorTrip } from "./detectors/types.ts";
import type { EngineEvent } from "./events.ts";
import { executeToolCalls, type ToolCallWrapper } from "./execute-tools.ts";
import {
  FixLoop,
  type FixMode,
  fixModeFor,
  isCodeFile,
  MAX_CONTEXT_FILES,
  MAX_PATCH_FILES,
  noPatchTrip,
  withoutLineMark,
} from "./fix-loop.ts";
import { withoutCategoryPicks } from "./history-view.ts";
import { ALLOW_ALL, type PermissionGate } from "./permission-gate.ts";
import { buildRoundRequest, type PromptLimits } from "./request-builder.ts";
import {
  DEFAULT_STREAM_IDLE_TIMEOUT_MS,
  errorMessage,
  MAX_FAILOVERS_PER_ROUND,
  MAX_TOO_LARGE_RETRIES,
  type RoundHost,
  type RoundOutcome,
  shortReason,
  streamRound,
  TOO_LARGE_SHRINK,
} from "./round-stream.ts";
import type { ArmHandle, RoutingPolicy, TurnRoute } from "./routing.ts";
import type { ToolMiddleware } from "./tool-middleware.ts";
import type { PermissionDenial, TurnResult, TurnStatus } from "./turn-result.ts";
import {
  answerSelectCategory,
  type CatalogueTool,
  progressNote,
  SELECT_CATEGORY,
  type TwoStagePhase,
  type TwoStageSetting,
  twoStageApplies,
  twoStageRoundTools,
} from "./two-stage.ts";
import { VerificationTracker } from "./verification.ts";

export { DEFAULT_STREAM_IDLE_TIMEOUT_MS, MAX_FAILOVERS_PER_ROUND, MAX_TOO_LARGE_RETRIES, TOO_LARGE_SHRINK };
/** Default round limit per turn (gnoma's --max-turns default). */
export const DEFAULT_MAX_TURNS = 50;
/** The user message that asks a model cut off by its output budget to go on (gnoma's wording). */
export const CONTINUE_MESSAGE = "Continue from where you left off.";
/**
 * Trips of one detector in one turn that end the turn as `stuck` instead of injecting yet another correction:
 * a model that loops three times after being told is not converging, and headless runs should stop early
 * rather than burn the whole --max-turns budget (anchors §8: hard stops for runaway repetition).
 */
export const MAX_TRIPS_PER_DETECTOR = 3;
/** The assistant message that closes a turn which ended without an answer, so roles keep alternating on resume. */
export const NO_ANSWER_MESSAGE = "[no answer: the previous request ended before the model replied]";
/** Streamed text kept in history after a repetition cut, chars. */
const CUT_TEXT_KEEP = 400;

/** Everything an engine needs. Only `routing` and `tools` are required. */
export interface EngineOptions {
  routing: RoutingPolicy;
  tools: ToolRegistry;
  /** Workspace root and limits for the tools. */
  toolContext: Omit<ToolContext, "signal">;
  /** The system prompt for an arm (local arms get the compact variant). */
  systemPrompt: (arm: ArmHandle) => string;
  gate?: PermissionGate;
  store?: ResultsStore;
  /** Round limit per turn; default 50. */
  maxTurns?: number;
  twoStage?: TwoStageSetting;
  /** Output budget per request, tokens. */
  maxOutputTokens?: number;
  temperature?: number;
  seed?: number;
  /**
   * Run the workspace's check after a local arm's answer when nothing checked its work (checkUnverifiedChange).
   * Default off: measured in issue 8's eval, not yet switched on for the agent (its tests need updating first).
   */
  checkAfterAnswer?: boolean;
  /** Retry delays, ms; default 1/2/4/8 s. Tests shorten them. */
  retryDelaysMs?: readonly number[];
  /**
   * Longest wait for the next stream event, ms (default 300 s: a small CPU model may take minutes to read a
   * long prompt). A stalled stream then fails as a transient provider error (retried, or failed over).
   */
  streamIdleTimeoutMs?: number;
  /**
   * Per-arm stream timeouts, ms: `firstByteMs` until the first event of a request (a CPU model reading a long prompt
   * needs minutes; a cloud API answers in seconds), `idleMs` between later events. Default: `streamIdleTimeoutMs`
   * for both. A stalled request fails as a transient error (retried, or failed over).
   */
  streamTimeouts?: (arm: ArmHandle) => { firstByteMs: number; idleMs: number };
  /**
   * Longest a turn may take, ms, checked whenever it waits on a model (no new request starts after it, a stream in
   * progress is cut at it), retries and failovers included. Default: no limit.
   */
  turnTimeoutMs?: number;
  /** Token counter per arm for the prompt budget; default the chars/4 estimate. */
  tokenCounter?: (arm: ArmHandle) => TokenCounter;
  repairJson?: (text: string) => string | undefined;
  resolveToolName?: (name: string, known: string[]) => string | undefined;
  onEvent?: (event: EngineEvent) => void;
  /** Called for every message appended to history, in order (session persistence hooks in here). */
  onMessage?: (message: Message) => void;
  /**
   * Whether a prompt asks for a change (fix, implement, refactor…) rather than an answer (explain, review…): a
   * turn for such a prompt that changed nothing ends as `no_changes`, never as success. Default: never.
   */
  expectsChanges?: (prompt: string) => boolean;
  /**
   * The command that checks a prompt's change (the workspace's tests), or undefined when there is none or the
   * prompt asks for none. Used by the small-model fix loop only (two-stage on a local arm): the check runs
   * before the first round and after each change, through the bash tool and the permission gate. Default:
   * none.
   */
  checkCommand?: (prompt: string) => Promise<string | undefined>;
  /** The permission gate for owlet's own check run (see checkCommand); default `gate`. */
  checkGate?: PermissionGate;
  /**
   * Called with the usage of each round, its 1-based round number and the id of the arm that served it (a summary
   * request is reported with the round it was made in, 0 outside a turn).
   */
  onUsage?: (usage: Usage, round: number, armId: string) => void;
  /**
   * Summary compaction (compaction.ts): when a request to an arm with a known window (or a 413 ceiling) would
   * pass `threshold` of the prompt room, the older rounds are replaced by a model-written summary. Absent: off
   * (the budget only drops old rounds).
   */
  compaction?: CompactionOptions;
  /** Called for every summary compaction, after the history was replaced (session persistence hooks in here). */
  onCompaction?: (record: CompactionRecord) => void;
  /**
   * Wraps every tool call that runs (after its permission check): checkpoints record the files a call may
   * change before it runs (see execute-tools.ts ToolCallWrapper). Default none.
   */
  wrapToolCall?: ToolCallWrapper;
  /** Wrappers around every tool call (hooks), in order; see ToolMiddleware. Default none. */
  toolMiddleware?: readonly ToolMiddleware[];
  /**
   * The id of the agent this engine runs (a subagent's, e.g. `agent-1`): every event it emits carries it as
   * `agentId`, and the tool middleware sees it. Absent for the main agent.
   */
  agentId?: string;
  /**
   * Asked when the model ends its turn with an answer (as Claude Code's Stop/SubagentStop hooks): a returned
   * message keeps the turn going, appended as a user message for the model; undefined lets it end. `again` is
   * true when the turn already went on once because of it (Claude Code's `stop_hook_active`). At most 3
   * continuations per turn. Default: the turn ends.
   */
  beforeStop?: (info: { text: string; again: boolean }) => Promise<string | undefined>;
  /**
   * Which registered tools a round on `arm` offers (`twoStage`: the turn runs two-stage routing); default all.
   * A tool left out is still run if the model calls it by name.
   */
  offersTool?: (tool: Tool, arm: ArmHandle, twoStage: boolean) => boolean;
}

/** Continuations a beforeStop hook may force in one turn before the turn ends anyway. */
export const MAX_STOP_CONTINUATIONS = 3;

/**
 * The agentic loop (the seed's runLoop, in TypeScript): one `runTurn` per user prompt; each turn runs rounds
 * — build the request, stream it, run the tool calls, feed results back — until the model ends its turn.
 * The engine holds the conversation in memory and nothing else: storage goes through `onMessage`, model
 * choice through the RoutingPolicy, permission through the PermissionGate.
 */
export class Engine {
  /** The conversation so far. Replace it to resume a session. */
  history: Message[] = [];
  /**
   * Prompt sizes (tokens, by the engine's counter) each arm is known to refuse: after an HTTP 413 the arm's
   * requests are fitted below {@link TOO_LARGE_SHRINK} of the refused size, for the rest of the session.
   */
  readonly promptCeilings = new Map<string, number>();
  private readonly opts: EngineOptions;
  /** Turns begun on this engine (the next turn's id is `turn-<n+1>`). */
  private turnsStarted = 0;
  /** Summary compaction (compaction.ts), before requests and on request. */
  readonly compactor: Compactor;

  constructor(opts: EngineOptions) {
    this.opts = opts;
    this.compactor = new Compactor({
      ...(opts.compaction ? { compaction: opts.compaction } : {}),
      ...(opts.onCompaction ? { onCompaction: opts.onCompaction } : {}),
      ...(opts.onUsage ? { onUsage: opts.onUsage } : {}),
      ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
      ...(opts.maxOutputTokens !== undefined ? { maxOutputTokens: opts.maxOutputTokens } : {}),
      counterFor: (arm) => this.counterFor(arm),
    });
  }

  /**
   * Compacts the history now (`/compact [focus]`, `owlet compact`): the older rounds are replaced by a summary
   * written by the summary arm (or `arm`), the latest rounds stay verbatim. Returns the record (also given to
   * `onCompaction`), or undefined when there is nothing to summarise. Throws when the summary request fails
   * (the history is then unchanged). Works whether or not `compaction` is configured.
   */
  compact(request: CompactRequest): Promise<CompactionRecord | undefined> {
    return this.compactor.compact(this, request);
  }

  /** The token counter for an arm's prompts (EngineOptions.tokenCounter, else the estimate). */
  counterFor(arm: ArmHandle): TokenCounter {
    return this.opts.tokenCounter?.(arm) ?? estimateCounter;
  }

  /** Runs one turn for `prompt`. Never throws for model, tool or budget failures: see TurnResult.status. */
  async runTurn(prompt: string, signal: AbortSignal = new AbortController().signal): Promise<TurnResult> {
    this.turnsStarted++;
    return new TurnRun(this, this.opts, signal, `turn-${this.turnsStarted}`).run(prompt);
  }
}

class TurnRun {
  private readonly engine: Engine;
  private readonly opts: EngineOptions;
  private readonly signal: AbortSignal;
  private readonly emit: (e: EngineEvent) => void;
  private readonly produced: Message[] = [];
  private usage: Usage = emptyUsage();
  private rounds = 0;
  private readonly trips: string[] = [];
  private route!: TurnRoute;
  private twoStage = false;
  /** Where a two-stage turn is (see twoStageRoundTools). */
  private phase: TwoStagePhase = { kind: "pick" };
  /** The tool choice of the round being run (a `required` round that yields no call is corrected). */
  private roundChoice: "auto" | "required" = "auto";
  /** The two-stage phase the round being run was built in. */
  private roundPhase: TwoStagePhase = { kind: "pick" };
  /** What the model changed and how its last check went. */
  private readonly verification = new VerificationTracker();
  /** The turn's real tool calls (not category picks) and whether each failed, for the two-stage progress note. */
  private readonly workCalls: { name: string; arguments: string; isError: boolean }[] = [];
  /** Index in workCalls after the last successful change (edit, write or command). */
  private lastChangeIndex = 0;
  /** A category left out of the next pick (its last call repeated an earlier one). */
  private banned: string | undefined;
  /** The prompt asks for a change (EngineOptions.expectsChanges). */
  private expectsChanges = false;
  /** Tool calls the permission gate refused this turn. */
  private readonly denials: PermissionDenial[] = [];
  private readonly started = Date.now();
  /** The fix loop's check command (see EngineOptions.checkCommand), once it has run; undefined when off. */
  private check: string | undefined;
  /** Runs of the check this turn (ids of its synthetic calls). */
  private checkRuns = 0;
  /** The fix loop (fix-loop.ts), when the check failed and there is code to patch. */
  private fix: FixLoop | undefined;
  /**
   * The patch reply being checked: its edits (path and arguments) and where its messages start in history (a
   * patch that is undone is hidden from the model's view with everything after it).
   */
  private pendingPatch: { paths: string[]; from: number } | undefined;
  /** Messages kept in history but left out of the model's view (patch replies that changed nothing or were undone). */
  private readonly hidden = new Set<Message>();
  /** The assistant messages of owlet's own check runs (runCheck): never the turn's text. */
  private readonly ownChecks = new Set<Message>();
  /** This turn's user prompt (the budget never drops it; found by identity after compaction). */
  private promptMessage: Message | undefined;
  /** A summary compaction failed this turn: the budget drops rounds instead, without asking again. */
  private summaryFailed = false;
  /** Times EngineOptions.beforeStop kept this turn going. */
  private stopContinuations = 0;

  constructor(engine: Engine, opts: EngineOptions, signal: AbortSignal, turnId: string) {
    this.engine = engine;
    this.opts = opts;
    this.signal = signal;
    const onEvent = opts.onEvent ?? (() => {});
    const agentId = opts.agentId;
    this.emit =
      agentId === undefined ? (e) => onEvent({ ...e, turnId }) : (e) => onEvent({ ...e, agentId, turnId });
  }

  async run(prompt: string): Promise<TurnResult> {
    // A turn that failed before the model answered leaves its prompt last in history; close it so that user
    // and assistant messages keep alternating (strict chat templates reject two user prompts in a row).
    const last = this.engine.history.at(-1);
    if (last?.role === "user" && !isToolResultsMessage(last)) this.append(assistantText(NO_ANSWER_MESSAGE));
    this.promptMessage = userText(prompt);
    this.expectsChanges = this.opts.expectsChanges?.(prompt) ?? false;
    this.append(this.promptMessage);
    try {
      this.route = await this.opts.routing.selectForTurn({
        prompt,
        estimatedPromptTokens: this.estimateTokens(),
        requiresTools: true,
      });
    } catch (err) {
      return this.finish("routing_error", errorMessage(err));
    }
    this.adoptRoute(this.route);
    // The small-model protocol (two-stage routing, attached files, reminders) goes together: on for small local
    // arms by default, off with --no-two-stage.
    if (this.twoStage && this.route.arm.local) await this.prepareLocalTurn(prompt);

    const repetition = new RepetitionDetector();
    const patchSpiral = new PatchSpiralDetector();
    const toolLoop = new ToolLoopDetector();
    let priorRoundUsedTools = false;
    const maxTurns = this.opts.maxTurns ?? DEFAULT_MAX_TURNS;

    for (;;) {
      if (this.signal.aborted) return this.finish("aborted", "interrupted");
      if (this.rounds >= maxTurns) {
        return this.finish(
          "max_turns",
          `safety limit: ${maxTurns} ${maxTurns === 1 ? "round" : "rounds"} reached without the model ending its turn (raise --max-turns)`,
        );
      }
      if (this.twoStage && this.phase.kind === "patch" && this.fix && !this.fix.nextAsk())
        return this.finishFixLoop(this.fix);
      this.rounds++;
      const round = await this.streamRound(repetition);
      if (round.status !== "ok") return this.finish(round.status, round.error, round.errorKind);
      const { response, trip, ttftMs, durationMs } = round;
      const arm = this.route.arm;
      this.usage = addUsage(this.usage, response.usage);
      this.emit({
        type: "usage",
        round: this.rounds,
        usage: response.usage,
        ...(response.stopReason ? { stopReason: response.stopReason } : {}),
      });
      this.opts.onUsage?.(response.usage, this.rounds, arm.id);
      this.opts.routing.reportRound?.({ arm, usage: response.usage, ttftMs, durationMs });

      if (trip) {
        const cut = cutMessage(response.message);
        this.append(cut);
        if (this.roundPhase.kind === "patch" && this.fix) {
          // A patch reply a detector cut (a sampled reply looping) is unusable: the ladder climbs (it is finite)
          // and the reply is hidden; the turn goes on, since the next ask differs.
          this.fix.climb();
          this.hidden.add(cut);
          this.record(trip);
          continue;
        }
        if (this.trip(trip)) return this.stuck(trip);
        continue;
      }
      let message = response.message;
      if (this.roundPhase.kind === "patch" && this.fix) {
        const fix = this.fix;
        fix.climb();
        // A reply cut at the length limit is never placed: its last block may be a file cut short.
        let patched: Message | NoReplyEdits | { kind: "none"; reason: "tried"; files: string[] } =
          response.cut || response.stopReason === "max_tokens"
            ? { kind: "none", reason: "cut", files: [...fix.files] }
            : await this.withCodeBlockEdits(message, fix.files);
        if ("role" in patched) {
          const edits = toolCallsOf(patched).map((c) => c.arguments);
          if (fix.alreadyChecked(edits)) patched = { kind: "none", reason: "tried", files: [...fix.files] };
          else {
            fix.markChecked(edits);
            message = patched;
            fix.correction = undefined;
            this.pendingPatch = {
              paths: toolCallsOf(patched).flatMap((c) => pathArgument(c) ?? []),
              from: this.engine.history.length,
            };
          }
        }
        if (!("role" in patched) && toolCallsOf(this.withTextCalls(message)).length === 0) {
          // No usable edit and no call: the next rung asks differently (patchLadder) and says what was wrong; the
          // ladder's end ends the turn. A reply that gave the code back unchanged, or a change already checked,
          // is kept in history but hidden from the model, which at temperature 0 would copy it.
          this.append(message);
          const trip = noPatchTrip(patched.reason, patched.files);
          this.record(trip);
          if (patched.reason === "unchanged" || patched.reason === "tried") {
            this.hidden.add(message);
            fix.copied();
          } else fix.correction = trip.injection;
          continue;
        }
      }
      message = this.withTextCalls(message);
      this.append(message);

      const calls = toolCallsOf(message);
      const greeting = detectGreeting(textOf(response.message), priorRoundUsedTools, calls.length > 0);
      if (greeting) {
        if (this.trip(greeting)) return this.stuck(greeting);
        continue;
      }

      if (calls.length > 0) {
        // Calls of a response cut at the length limit or mid-stream never run (see cutCallResults).
        const results = response.cut ? this.refuseCutCalls(calls) : await this.runTools(calls);
        this.append(toolResultsMessage(results));
        for (const [i, call] of calls.entries()) {
          const isError = results[i]?.isError === true;
          this.track(call, results[i]);
          const spiral = patchSpiral.record(call.name, pathArgument(call), isError);
          if (spiral && this.trip(spiral)) return this.stuck(spiral);
          // Two-stage handles re-selection itself; edits are the patch-spiral detector's.
          if (call.name === SELECT_CATEGORY) continue;
          if (PATCH_TOOLS.has(call.name)) {
            if (!isError) toolLoop.workspaceChanged();
            continue;
          }
          const loop = toolLoop.record({
            name: call.name,
            arguments: call.arguments,
            isError,
            firstLine: firstLine(results[i]?.content ?? ""),
            changedState: !isError && this.opts.tools.get(call.name)?.readOnly === false,
          });
          if (loop && this.trip(loop)) return this.stuck(loop);
        }
        // The fix loop: every successful change is checked at once, so the model sees the result next round.
        const changed = calls.some((c, i) => PATCH_TOOLS.has(c.name) && results[i]?.isError === false);
        if (changed && this.check) await this.runCheck(this.check);
        priorRoundUsedTools = true;
        continue;
      }
      if (response.stopReason === "max_tokens") {
        this.append(userText(CONTINUE_MESSAGE));
        continue;
      }
      if (this.roundChoice === "required" && this.roundPhase.kind === "call") {
        // A forced call that did not come (a server that does not enforce tool choice): ask again. Text in a
        // forced category pick is taken as the answer instead: answering is one of the choices there.
        const trip: DetectorTrip = {
          detector: "no_call",
          reason: "a tool call was required but the model replied with text",
          injection: "Reply with one tool call only, no prose.",
        };
        if (this.trip(trip)) return this.stuck(trip);
        continue;
      }
      const reminder =
        this.twoStage && this.route.arm.local
          ? (this.verification.reminder() ??
            (this.expectsChanges ? this.verification.noChangeReminder() : undefined))
          : undefined;
      if (reminder) {
        this.append(userText(reminder));
        this.phase = { kind: "pick" };
        continue;
      }
      if (this.opts.beforeStop && this.stopContinuations < MAX_STOP_CONTINUATIONS) {
        const more = await this.opts.beforeStop({
          text: textOf(message).trim(),
          again: this.stopContinuations > 0,
        });
        if (more !== undefined && !this.signal.aborted) {
          this.stopContinuations++;
          this.append(userText(more));
          this.phase = { kind: "pick" };
          continue;
        }
      }
      await this.checkUnverifiedChange();
      return this.finishAnswered();
    }
  }

  /**
   * Ends a turn in which the model gave its answer: `checks_failed` when the last command after its changes
   * failed, `no_changes` when the prompt asked for a change and nothing changed, `permission_denied` when calls
   * were refused, else `success` (an outcome is reported as it happened).
   */
  private finishAnswered(): TurnResult {
    const failed = this.verification.failure();
    if (failed) return this.finish("checks_failed", failed);
    if (this.expectsChanges && !this.verification.mayHaveChanged()) {
      return this.finish(
        "no_changes",
        "the prompt asks for a change, but the model ended its turn without changing any file or running any command successfully",
      );
    }
    if (this.denials.length > 0) {
      const names = this.denials.map((d) => d.toolName).join(", ");
      return this.finish(
        "permission_denied",
        `the model answered, but ${this.denials.length} tool ${this.denials.length === 1 ? "call was" : "calls were"} denied (${names}), so the work may be incomplete`,
      );
    }
    return this.finish("success");
  }

  /**
   * A local arm's final answer after changes nothing checked (two-stage off, or no fix loop; a change is also a
   * command that succeeded, and "checked" means the check itself ran last after the last change): owlet runs the
   * workspace's check once itself (EngineOptions.checkCommand, through the check gate) after the answer, so a
   * turn whose change breaks or does not fix the tests ends `checks_failed`, never `success` (issue 8's eval: 4
   * of 24 1.5B runs with two-stage off wrote a wrong fix and reported success). The check's call and result end
   * the history (as a turn cut off after its tools does); the turn's text stays the model's answer. Cloud arms
   * are trusted to check their own work.
   */
  private async checkUnverifiedChange(): Promise<void> {
    if (!this.opts.checkAfterAnswer) return;
    if (!this.route.arm.local || !this.expectsChanges || this.check || !this.verification.mayHaveChanged())
      return;
    if (!this.opts.tools.get("bash") || !this.promptMessage || this.signal.aborted) return;
    const command = await this.opts.checkCommand?.(textOf(this.promptMessage));
    if (!command || !this.verification.needsCheck(command)) return;
    const result = await this.runCheck(command);
    if (result && !result.notRun && !/^Command timed out/.test(result.content))
      this.verification.checkedAfterAnswer(command, result.isError !== true);
  }

  /**
   * The message with tool calls it printed as text (in any format the text tool-call parser knows) turned into
   * tool_call blocks, so a call is executed, never returned as the answer. Messages that already carry calls, or
   * whose text holds none, are returned as they are.
   */
  private withTextCalls(message: Message): Message {
    if (toolCallsOf(message).length > 0) return message;
    const text = textOf(message);
    if (text.trim() === "") return message;
    const known = this.opts.tools.all().map((t) => t.name);
    if (this.twoStage) known.push(SELECT_CATEGORY);
    const parsed = parseToolCalls(text, known);
    if (parsed.calls.length === 0) return message;
    this.emit({
      type: "warning",
      message: `parsed ${parsed.calls.length} tool call(s) from the model's text`,
    });
    const content: ContentBlock[] = parsed.text.trim() ? [{ type: "text", text: parsed.text }] : [];
    for (const call of parsed.calls) {
      content.push({
        type: "tool_call",
        id: `text_call_${this.rounds}_${content.length}`,
        name: call.name,
        arguments: call.arguments,
      });
    }
    return { role: "assistant", content };
  }

  /**
   * Small-model aids before the first round: the fix loop's check runs first (when EngineOptions.checkCommand
   * gives one for a prompt that asks for a change), then the files the prompt names and, when the check failed,
   * the code its failing tests import are read for the model (as Claude Code and aider attach mentioned files;
   * Agentless localises from the failing test the same way), through the normal tool path (permission gate,
   * read ledger, events). At most {@link MAX_MENTIONED_FILES} files; test files only when the prompt names them
   * or no code was found. With a failing check and code attached, the first round is a patch round (see
   * fix-loop.ts): the model starts from the failure and the code instead of spending rounds, and often failing,
   * to find them.
   */
  private async prepareLocalTurn(prompt: string): Promise<void> {
    const root = this.opts.toolContext.workspaceRoot;
    const files = this.opts.tools.get("fs_read") ? await mentionedFiles(prompt, root) : [];
    const command = this.expectsChanges ? await this.opts.checkCommand?.(prompt) : undefined;
    let failing = false;
    let checkOutput = "";
    let mode: FixMode = "fix";
    let context: string[] = [];
    if (command && this.opts.tools.get("bash")) {
      const result = await this.runCheck(command);
      failing = result?.isError === true && !result.notRun;
      checkOutput = result?.content ?? "";
      if (failing && this.opts.tools.get("fs_read")) {
        const implicated = await implicatedFiles(result!.content, root);
        mode = fixModeFor(prompt, checkOutput);
        const mentioned = files.filter((f) => !isTestFile(f));
        // An implement task is written from its tests and the instructions the prompt names: they are shown, never
        // patched. A fix task shows the code (its failing assertions are in the check's output).
        const mentionedCode = mode === "implement" ? mentioned.filter(isCodeFile) : mentioned;
        if (mode === "implement") {
          const tests = [...files.filter(isTestFile), ...implicated.tests];
          context = [...new Set([...mentioned.filter((f) => !isCodeFile(f)), ...tests])].slice(
            0,
            MAX_CONTEXT_FILES,
          );
        }
        const code = [
          ...mentionedCode,
          ...implicated.sources.filter((f) => !mentionedCode.includes(f)),
        ].slice(0, MAX_PATCH_FILES);
        files.splice(0, files.length, ...context, ...code, ...(code.length === 0 ? implicated.tests : []));
      }
    }
    const attached = files.slice(0, failing ? MAX_PATCH_FILES + context.length : MAX_MENTIONED_FILES);
    if (attached.length > 0) {
      const calls: ToolCallBlock[] = attached.map((path, i) => ({
        type: "tool_call",
        id: `attach_${this.rounds}_${i}`,
        name: "fs_read",
        arguments: JSON.stringify({ path }),
      }));
      this.append({ role: "assistant", content: calls });
      const results = await this.runTools(calls);
      this.append(toolResultsMessage(results));
      for (const [i, call] of calls.entries()) this.track(call, results[i]);
    }
    const patchFiles = failing ? attached.filter((f) => !isTestFile(f) && !context.includes(f)) : [];
    if (patchFiles.length > 0) {
      this.fix = new FixLoop({
        command: command!,
        files: patchFiles,
        context,
        mode,
        prompt,
        workspaceRoot: root,
      });
      await this.fix.rebase(checkOutput);
    }
    if (failing && attached.length > 0) this.phase = this.fixPhase();
  }

  /**
   * Ends a turn whose fix loop used up its ladder: `stuck` when no reply gave a usable patch, else
   * `checks_failed` (every patch that did not lower the failing tests was undone).
   */
  private finishFixLoop(fix: FixLoop): TurnResult {
    if (fix.placed === 0) {
      return this.finish(
        "stuck",
        `stopped: in ${fix.attempts} patch rounds the model gave no usable fix for the failing check \`${fix.command}\`; the model is not converging. Try a larger model, a narrower prompt, or --verbose to see the rounds.`,
      );
    }
    return this.finish(
      "checks_failed",
      `the check \`${fix.command}\` still fails after ${fix.attempts} patch rounds (${fix.placed} patches checked; each one that did not lower the number of failing tests was undone). Try a larger model or a narrower prompt.`,
    );
  }

  /** The step after a failing check: a patch reply when there is code to put it in, else the write step. */
  private fixPhase(): TwoStagePhase {
    return this.fix ? { kind: "patch" } : { kind: "call", category: "write" };
  }

  /**
   * A patch round's reply with its code blocks turned into the fs_edit / fs_write calls that place them (see
   * replyEdits), or the outcome that gave none.
   */
  private async withCodeBlockEdits(
    message: Message,
    files: readonly string[],
  ): Promise<Message | NoReplyEdits> {
    const outcome = await replyEdits(
      withoutLineMark(textOf(message)),
      files,
      this.opts.toolContext.workspaceRoot,
    );
    if (outcome.kind === "none") return outcome;
    const calls: ContentBlock[] = outcome.edits.map((e, i) => ({
      type: "tool_call",
      id: `patch_${this.rounds}_${i}`,
      name: e.name,
      arguments: e.arguments,
    }));
    return { role: "assistant", content: [...message.content, ...calls] };
  }

  /**
   * Runs the fix loop's check as a bash call of owlet's own (through the permission gate, so a mode that denies
   * bash denies it too), its output summarised to the failures (summariseCheckOutput), and records it: a run
   * counts as a check of the changes before it (VerificationTracker.ran), a pass sends the model to its answer,
   * a failure to another patch round (the write step when there is no code to patch). A check that could not run (denied, timed out, refused) turns the loop off
   * for the turn and is not counted as the model's denial. Returns the result, or undefined without bash.
   */
  private async runCheck(command: string): Promise<ToolResultBlock | undefined> {
    const call: ToolCallBlock = {
      type: "tool_call",
      id: `check_${this.rounds}_${this.checkRuns++}`,
      name: "bash",
      arguments: JSON.stringify({ command }),
    };
    const asked: Message = { role: "assistant", content: [call] };
    this.ownChecks.add(asked);
    this.append(asked);
    // not through the results store: the output is summarised below, and the summary is short
    const [raw] = await this.runTools([call], { keep: false, gate: this.opts.checkGate ?? this.opts.gate });
    if (!raw) return undefined;
    const timedOut = /^Command timed out/.test(raw.content);
    const result: ToolResultBlock =
      raw.notRun || timedOut
        ? raw
        : { ...raw, content: await summariseCheckOutput(raw.content, this.opts.toolContext.workspaceRoot) };
    this.append(toolResultsMessage([result]));
    if (result.notRun || timedOut) {
      this.check = undefined;
      this.emit({
        type: "warning",
        message: `owlet could not run the check \`${command}\`: ${firstLine(raw.content)}`,
      });
      return result;
    }
    this.check = command;
    this.verification.ran(command, !result.isError);
    const patch = this.pendingPatch;
    this.pendingPatch = undefined;
    if (patch && this.fix) await this.judgePatch(this.fix, patch, result);
    else if (result.isError && this.fix) await this.fix.rebase(result.content);
    if (this.checkRuns > 1) this.phase = result.isError ? this.fixPhase() : { kind: "answer" };
    return result;
  }

  /**
   * After the check of a patch reply's edits: a patch that lowered the number of failing tests becomes the fix
   * loop's base; one that did not is undone (the base text written back through fs_write, the normal tool path)
   * and hidden from the model's view with its check, so the next rung starts from the best code so far.
   */
  private async judgePatch(
    fix: FixLoop,
    patch: { paths: string[]; from: number },
    result: ToolResultBlock,
  ): Promise<void> {
    const verdict = fix.judge(result.content, !result.isError);
    if (verdict === "better") await fix.progress(result.content);
    if (verdict !== "not_better") return;
    const root = this.opts.toolContext.workspaceRoot;
    const restore = fix.undo(await currentSources(patch.paths, root));
    if (restore.length > 0) {
      const calls: ToolCallBlock[] = restore.map((f, i) => ({
        type: "tool_call",
        id: `undo_${this.rounds}_${i}`,
        name: "fs_write",
        arguments: JSON.stringify({ path: f.path, content: f.text }),
      }));
      this.append({ role: "assistant", content: calls });
      const results = await this.runTools(calls);
      this.append(toolResultsMessage(results));
      for (const [i, call] of calls.entries()) this.track(call, results[i]);
    }
    for (const m of this.engine.history.slice(patch.from)) this.hidden.add(m);
  }

  /** Feeds one finished call to the verification tracker (changes and checks) and the denial list. */
  private track(call: ToolCallBlock, result: ToolResultBlock | undefined): void {
    if (!result) return;
    const tool = this.opts.tools.get(result.toolName);
    if (!tool) return;
    // The same call as one before it, with nothing changed since: its step is left out of the next pick, so a
    // model at temperature 0 cannot pick and make it again (a grammar-enforced loop breaker).
    const sinceChange = this.workCalls.slice(this.lastChangeIndex);
    if (sinceChange.some((c) => c.name === tool.name && c.arguments === call.arguments))
      this.banned = tool.category;
    this.workCalls.push({ name: tool.name, arguments: call.arguments, isError: result.isError });
    if (!result.isError && (PATCH_TOOLS.has(tool.name) || tool.category === "exec"))
      this.lastChangeIndex = this.workCalls.length;
    if (result.notRun === "denied") {
      this.denials.push({ toolName: tool.name, toolUseId: call.id, toolInput: parseArgs(call.arguments) });
      return;
    }
    if (PATCH_TOOLS.has(tool.name) && !result.isError) {
      const path = pathArgument(call);
      if (path) this.verification.changedFile(path);
    } else if (tool.category === "exec" && !result.notRun) {
      const command = (parseArgs(call.arguments) as { command?: unknown }).command;
      this.verification.ran(typeof command === "string" ? command : call.name, !result.isError);
    }
  }

  /** Streams one round with retries, 413 compaction and failover. */
  /** One round's request and stream, with its retries, failovers and 413 retries (round-stream.ts). */
  private streamRound(repetition: RepetitionDetector): Promise<RoundOutcome> {
    return streamRound(this.roundHost(), repetition);
  }

  /** What streamRound needs of this turn (see RoundHost). */
  private roundHost(): RoundHost {
    return {
      signal: this.signal,
      arm: () => this.route.arm,
      buildRequest: () => this.buildRequest(),
      promptCeilings: this.engine.promptCeilings,
      counterFor: (arm) => this.engine.counterFor(arm),
      turnTimeLeft: () => this.turnTimeLeft(),
      turnTimeoutMessage: () => this.turnTimeoutMessage(),
      emit: this.emit,
      keepPartialText: (text) => this.append({ role: "assistant", content: [{ type: "text", text }] }),
      adoptRoute: (route) => this.adoptRoute(route),
      estimateTokens: () => this.estimateTokens(),
      routing: this.opts.routing,
      ...(this.opts.streamTimeouts ? { streamTimeouts: this.opts.streamTimeouts } : {}),
      ...(this.opts.streamIdleTimeoutMs !== undefined
        ? { streamIdleTimeoutMs: this.opts.streamIdleTimeoutMs }
        : {}),
      ...(this.opts.retryDelaysMs ? { retryDelaysMs: this.opts.retryDelaysMs } : {}),
    };
  }

  /**
   * Builds the request for the current arm and round (request-builder.ts): the tools of the two-stage step (or
   * all), the model's view of the history (or a patch round's one message), a summary first when the history is
   * past the compaction threshold, then the request fitted to the arm's window.
   */
  private async buildRequest(): Promise<ProviderRequest> {
    const arm = this.route.arm;
    const catalogue = this.catalogue();
    const { tools, toolChoice } = this.twoStage
      ? twoStageRoundTools(this.phase, catalogue, progressNote(this.workCalls), this.banned)
      : { tools: catalogue.map((t) => t.schema), toolChoice: "auto" as const };
    this.roundChoice = toolChoice;
    this.roundPhase = this.twoStage ? this.phase : { kind: "pick" };
    // A patch round is one plain message (fix-loop.ts), for this request only: history keeps what the model did.
    const patchView =
      this.twoStage && this.phase.kind === "patch" && this.fix?.nextAsk() ? this.fix : undefined;
    const maxOutputTokens = this.opts.maxOutputTokens ?? arm.maxOutputTokens;
    const sampling = {
      ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
      ...(this.opts.temperature !== undefined ? { temperature: this.opts.temperature } : {}),
      ...(this.opts.seed !== undefined ? { seed: this.opts.seed } : {}),
      ...patchView?.sampling(this.opts.seed),
    };
    const built = await buildRoundRequest(
      {
        arm,
        system: this.opts.systemPrompt(arm),
        tools,
        toolChoice,
        sampling,
        view: () => {
          if (patchView) return { messages: [userText(patchView.requestText())], turnStart: 0 };
          const messages = this.modelView(arm);
          const at = this.promptMessage ? messages.indexOf(this.promptMessage) : -1;
          return at >= 0 ? { messages, turnStart: at } : { messages };
        },
        ...(patchView || this.summaryFailed || !this.opts.compaction
          ? {}
          : { summarise: (parts: RequestParts, room: number) => this.summarise(arm, parts, room) }),
      },
      {
        limits: this.promptLimits(arm),
        counter: this.engine.counterFor(arm),
        ...(this.opts.store ? { pathFor: (id: string) => this.opts.store!.pathFor(id) } : {}),
      },
    );
    if (built.droppedMessages > 0 || built.compactedResults > 0) {
      this.emit({
        type: "compaction",
        reason: "fit the context window",
        droppedMessages: built.droppedMessages,
        compactedResults: built.compactedResults,
      });
    }
    this.emit({
      type: "round_start",
      round: this.rounds,
      tools: tools.map((t) => t.name),
      toolChoice,
      ...(built.promptTokens ? { promptTokens: built.promptTokens } : {}),
    });
    return built.request;
  }

  /**
   * The history as the model sees it: messages hidden this turn (patch replies that changed nothing or were
   * undone) left out, and for a local arm under two-stage routing the category picks too (routing, not work:
   * small models copy them); earlier tool results verbatim until the budget needs the room.
   */
  private modelView(arm: ArmHandle): Message[] {
    const visible =
      this.hidden.size > 0 ? this.engine.history.filter((m) => !this.hidden.has(m)) : this.engine.history;
    return arm.local && this.twoStage ? withoutCategoryPicks(visible) : visible;
  }

  /** The arm's prompt limits (compaction.ts promptRoom), or undefined with neither a window nor a 413 ceiling. */
  private promptLimits(arm: ArmHandle): PromptLimits | undefined {
    const ceiling = this.engine.promptCeilings.get(arm.id);
    if (!arm.contextWindow && ceiling === undefined) return undefined;
    return promptRoom(arm, this.opts.maxOutputTokens, this.engine.counterFor(arm), ceiling);
  }

  /**
   * Summary compaction before a request (not a patch round's): when the request as it would be sent (`parts`,
   * tokens) passes the threshold of `room` (Compactor.beforeRequest). A failed summary is reported once as a
   * warning; the budget then drops rounds for the rest of the turn.
   */
  private async summarise(arm: ArmHandle, parts: RequestParts, room: number): Promise<void> {
    const at = this.promptMessage ? this.engine.history.indexOf(this.promptMessage) : -1;
    try {
      const done = await this.engine.compactor.beforeRequest(this.engine, {
        arm,
        parts,
        room,
        signal: this.signal,
        round: this.rounds,
        ...(at >= 0 ? { turnStart: at } : {}),
      });
      if (done) {
        this.usage = addUsage(this.usage, done.record.usage);
        if (done.promptIndex !== undefined) this.promptMessage = this.engine.history[done.promptIndex];
      }
    } catch (err) {
      if (this.signal.aborted) return;
      this.summaryFailed = true;
      this.emit({
        type: "warning",
        message: `could not summarise the conversation (${shortReason(err)}); older rounds are dropped instead`,
      });
    }
  }

  /** The tool catalogue for two-stage routing and requests: schema, category and the steps each tool serves. */
  private catalogue(): CatalogueTool[] {
    const lean = this.route.arm.local;
    const offers = this.opts.offersTool;
    const tools = this.opts.tools.all();
    const offered = offers ? tools.filter((t) => offers(t, this.route.arm, this.twoStage)) : tools;
    return offered.map((t) => ({
      category: t.category,
      schema: toolSchema(t, { lean }),
      ...(t.alsoIn ? { alsoIn: t.alsoIn } : {}),
      ...(t.categoryHint ? { categoryHint: t.categoryHint } : {}),
    }));
  }

  /**
   * Answers select_category calls itself and runs the rest through the tool layer; results in call order.
   * `keep` false: large outputs are not moved to the results store (the caller shortens them itself); `gate`
   * replaces the engine's permission gate for these calls.
   */
  private async runTools(
    calls: ToolCallBlock[],
    { keep = true, gate = this.opts.gate }: { keep?: boolean; gate?: PermissionGate } = {},
  ): Promise<ToolResultBlock[]> {
    for (const call of calls)
      this.emit({ type: "tool_call", id: call.id, name: call.name, arguments: call.arguments });
    const results = new Array<ToolResultBlock>(calls.length);
    const real: number[] = [];
    const catalogue = this.catalogue();
    for (const [i, call] of calls.entries()) {
      if (call.name !== SELECT_CATEGORY) {
        real.push(i);
        continue;
      }
      const answer = answerSelectCategory(call, catalogue);
      this.phase = answer.phase;
      this.banned = undefined;
      results[i] = answer.result;
      this.emit({
        type: "tool_result",
        id: call.id,
        name: call.name,
        output: answer.result.content,
        isError: answer.result.isError,
      });
    }
    if (real.length > 0) {
      // The step's call has run: the next round picks the next step.
      this.phase = { kind: "pick" };
      const out = await executeToolCalls(
        real.map((i) => calls[i]!),
        {
          registry: this.opts.tools,
          context: this.opts.toolContext,
          signal: this.signal,
          gate: gate ?? ALLOW_ALL,
          ...(this.opts.store && keep ? { store: this.opts.store } : {}),
          ...(this.opts.repairJson ? { repair: this.opts.repairJson } : {}),
          ...(this.opts.resolveToolName ? { resolveName: this.opts.resolveToolName } : {}),
          ...(this.opts.wrapToolCall ? { wrap: this.opts.wrapToolCall } : {}),
          ...(this.opts.toolMiddleware ? { middleware: this.opts.toolMiddleware } : {}),
          ...(this.opts.agentId !== undefined ? { agentId: this.opts.agentId } : {}),
          emit: this.emit,
        },
      );
      real.forEach((callIndex, k) => {
        results[callIndex] = out[k]!;
      });
    }
    return results;
  }

  /** Error results for a cut-off response's calls, each reported as a tool_call and a tool_result event. */
  private refuseCutCalls(calls: ToolCallBlock[]): ToolResultBlock[] {
    const results = cutCallResults(calls);
    for (const [i, call] of calls.entries()) {
      this.emit({ type: "tool_call", id: call.id, name: call.name, arguments: call.arguments });
      this.emit({
        type: "tool_result",
        id: call.id,
        name: call.name,
        output: results[i]!.content,
        isError: true,
      });
    }
    return results;
  }

  /** Ms left of the turn's time limit (Infinity without one). */
  private turnTimeLeft(): number {
    const limit = this.opts.turnTimeoutMs;
    return limit === undefined ? Number.POSITIVE_INFINITY : limit - (Date.now() - this.started);
  }

  private turnTimeoutMessage(): string {
    return `the turn reached its time limit of ${Math.round((this.opts.turnTimeoutMs ?? 0) / 1000)} s waiting on the model (raise [engine] turn_timeout)`;
  }

  private adoptRoute(route: TurnRoute): void {
    this.route = route;
    this.twoStage = twoStageApplies(this.opts.twoStage ?? "auto", route.arm);
    this.emit({
      type: "routing",
      arm: route.arm.id,
      provider: route.arm.provider.name,
      model: route.arm.model,
      taskType: route.taskType,
      classifier: route.classifier,
      reason: route.reason,
      twoStage: this.twoStage,
    });
  }

  /**
   * Records a detector trip and injects its correction; returns true (and injects nothing) when this detector
   * has now tripped MAX_TRIPS_PER_DETECTOR times this turn, so the caller ends the turn as stuck.
   */
  private trip(trip: DetectorTrip): boolean {
    if (this.record(trip)) return true;
    this.append(userText(trip.injection));
    return false;
  }

  /** Records a detector trip (event, count); true when it is the detector's last allowed one. */
  private record(trip: DetectorTrip): boolean {
    this.trips.push(trip.detector);
    this.emit({ type: "early_stop", detector: trip.detector, reason: trip.reason });
    return this.trips.filter((d) => d === trip.detector).length >= MAX_TRIPS_PER_DETECTOR;
  }

  private stuck(trip: DetectorTrip): TurnResult {
    return this.finish(
      "stuck",
      `stopped: the ${trip.detector.replace("_", " ")} detector tripped ${MAX_TRIPS_PER_DETECTOR} times (${trip.reason}); ` +
        "the model is not converging. Try a larger model, a narrower prompt, or --verbose to see the rounds.",
    );
  }

  private append(message: Message): void {
    this.engine.history.push(message);
    this.produced.push(message);
    this.opts.onMessage?.(message);
  }

  /** The history's size by the chars/4 estimate, tokens (for routing feasibility and pool reservations). */
  private estimateTokens(): number {
    return this.engine.history.reduce((n, m) => n + measureMessage(m, estimateCounter), 0);
  }

  private finish(status: TurnStatus, error?: string, errorKind?: string): TurnResult {
    // Reset per-turn two-stage state (the seed resets at the start and end of every runLoop).
    this.phase = { kind: "pick" };
    // owlet's own check after the answer (checkUnverifiedChange) is not the model's text
    const lastAssistant = [...this.produced]
      .reverse()
      .find((m) => m.role === "assistant" && !this.ownChecks.has(m));
    const result: TurnResult = {
      status,
      text: lastAssistant ? textOf(lastAssistant).trim() : "",
      usage: this.usage,
      rounds: this.rounds,
      messages: this.produced,
      earlyStops: [...this.trips],
    };
    if (this.route) result.arm = this.route.arm.id;
    if (this.denials.length > 0) result.permissionDenials = [...this.denials];
    if (error !== undefined) result.error = error;
    if (errorKind !== undefined) result.errorKind = errorKind;
    // An interrupted turn, or one that failed on configuration (bad credentials, nothing listening at the
    // endpoint), says nothing about the model's quality, so it is not reported for learning.
    const uninformative = status === "aborted" || errorKind === "auth" || errorKind === "unreachable";
    if (this.route && !uninformative) {
      this.opts.routing.reportTurn?.({
        arm: this.route.arm,
        taskType: this.route.taskType,
        success: status === "success" && this.trips.length === 0,
        usage: this.usage,
        durationMs: Date.now() - this.started,
      });
    }
    return result;
  }
}

/** The assistant message kept after a repetition cut: its text, shortened, and no tool calls. */
function cutMessage(message: Message): Message {
  const text = textOf(message);
  const kept =
    text.length > CUT_TEXT_KEEP ? `${text.slice(0, CUT_TEXT_KEEP)} […output cut: repetition]` : text;
  return { role: "assistant", content: [{ type: "text", text: kept || "[output cut: repetition]" }] };
}

/** The parsed arguments of a call, or its raw text when they are not JSON. */
function parseArgs(raw: string): unknown {
  try {
    return JSON.parse(raw || "{}");
  } catch {
    return raw;
  }
}

function pathArgument(call: ToolCallBlock): string | undefined {
  try {
    const path = (JSON.parse(call.arguments) as { path?: unknown }).path;
    return typeof path === "string" ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The first line of a tool result, at most 120 chars (quoted in a tool-loop correction). */
function firstLine(text: string): string {
  const line = text.split("\n", 1)[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
