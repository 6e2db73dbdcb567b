import type {
  ArmHandle,
  RoundReport,
  RoutingPolicy,
  TurnOutcome,
  TurnRoute,
  TurnRouteRequest,
} from "../engine/routing.ts";
import { ProviderError } from "../provider/errors.ts";
import { type Arm, requestCostUSD } from "./arm.ts";
import { BACKOFF_STATUSES, Backoff, errorStatus } from "./backoff.ts";
import { Bandit } from "./bandit.ts";
import { classifyHeuristic, HeuristicClassifier } from "./classify/heuristic.ts";
import { armScore, DEFAULT_REFERENCE_USD, effectiveCost } from "./cost.ts";
import { infeasibilityReasons } from "./feasibility.ts";
import { type ArmPerf, updatePerf } from "./perf.ts";
import { ArmPools, isRefusal, type PoolDemand, type Reservation } from "./pools.ts";
import { mulberry32 } from "./prng.ts";
import { emptyRouterState, type RouterState } from "./state.ts";
import { type RouterStats, statsFromState } from "./stats.ts";
import { type Classifier, isTaskType, type Task, type TaskType, taskValue } from "./task.ts";

/** Options of `new Router(...)`. */
export interface RouterOptions {
  /** The arms to route between (at least one). Built by the CLI with `buildArms`. */
  arms: Arm[];
  /** Seed for Thompson sampling; the same seed, state and prompts give the same choices. Default: time-based. */
  seed?: number;
  /** Incognito / local-only: cloud arms are excluded, and a forced cloud arm is an error. */
  localOnly?: boolean;
  /** Task classifier; default the keyword heuristic. */
  classifier?: Classifier;
  /** Learned state to start from (from `loadRouterState`). */
  state?: RouterState;
  /** Clock, epoch ms (tests inject one). */
  now?: () => number;
  /** Bandit discount γ (default 0.98). */
  gamma?: number;
  /** Reference USD per unit-value turn for the cost term (default $1, see cost.ts). */
  referenceUSD?: number;
  /** Prior rounds per turn when no turn has been observed for an (arm, type): turn prompt tokens ≈ rounds × prompt. */
  priorRoundsPerTurn?: number;
  /** Prior completion tokens per turn when none observed. */
  priorOutputTokensPerTurn?: number;
}

/** Completion tokens reserved per request on token/spend pools before the actual count is known. */
const RESERVE_OUTPUT_TOKENS = 1024;

/** One scored candidate in a turn's decision. */
interface Candidate {
  arm: Arm;
  theta: number;
  mean: number;
  costUSD: number;
  effCost: number;
  score: number;
}

/** What the router remembers about the turn in progress. */
interface TurnContext {
  task: Task;
  value: number;
  requiresTools: boolean;
  estimatedPromptTokens: number;
  armId: string;
}

/**
 * The learning router (issue 4): classifies each turn once from the user's prompt, drops infeasible arms
 * (feasibility.ts), lets a forced arm win, and otherwise picks by discounted Thompson sampling
 * (bandit.ts) weighed by task value and effective cost (cost.ts). The arm stays for every round of the
 * turn; `failover` offers the next best feasible arm after a failure before content streamed. Rounds
 * reserve and commit rate-limit pools (pools.ts); 429/529 puts an arm in backoff (backoff.ts); turn
 * outcomes update the bandit; `snapshot()` returns the state to persist.
 */
export class Router implements RoutingPolicy {
  private readonly arms: Arm[];
  private readonly byId: Map<string, Arm>;
  private readonly localOnly: boolean;
  private readonly classifier: Classifier;
  private readonly now: () => number;
  private readonly bandit: Bandit;
  private readonly backoff: Backoff;
  private readonly pools = new Map<string, ArmPools>();
  private readonly pending = new Map<string, Reservation[]>();
  private readonly perf: Record<string, ArmPerf>;
  private readonly classifierCounts: RouterState["classifierCounts"];
  private readonly referenceUSD: number;
  private readonly priorRounds: number;
  private readonly priorOutput: number;
  private turn: TurnContext | undefined;
  private updatedAt: number;
  /** A subagent view's arm (see forAgent); undefined for the router itself. */
  private readonly pinnedArm: string | undefined;

  /** Throws an Error when `arms` is empty or two arms share an id. */
  constructor(opts: RouterOptions) {
    if (opts.arms.length === 0)
      throw new Error(
        "no model arms configured: set --provider/--model, add [[arms]] to config, or start a local server",
      );
    this.arms = opts.arms;
    this.byId = new Map();
    for (const a of opts.arms) {
      if (this.byId.has(a.id))
        throw new Error(`two arms share the id "${a.id}": give each [[arms]] row its own id`);
      this.byId.set(a.id, a);
    }
    this.localOnly = opts.localOnly ?? false;
    this.classifier = opts.classifier ?? new HeuristicClassifier();
    this.now = opts.now ?? Date.now;
    const state = opts.state ?? emptyRouterState(this.now());
    const seed = opts.seed ?? (Date.now() ^ (process.pid << 16)) >>> 0;
    this.bandit = new Bandit({
      rand: mulberry32(seed),
      state: state.bandit,
      ...(opts.gamma !== undefined ? { gamma: opts.gamma } : {}),
    });
    this.backoff = new Backoff(this.now);
    for (const a of opts.arms) {
      const p = new ArmPools(a.limits, this.now);
      p.restore(state.pools[a.id] ?? []);
      this.pools.set(a.id, p);
    }
    this.perf = structuredClone(state.perf);
    this.classifierCounts = { ...state.classifierCounts };
    this.referenceUSD = opts.referenceUSD ?? DEFAULT_REFERENCE_USD;
    this.priorRounds = opts.priorRoundsPerTurn ?? 3;
    this.priorOutput = opts.priorOutputTokensPerTurn ?? 1500;
    this.updatedAt = state.updatedAt;
  }

  /**
   * Classifies the prompt once, then: forced arm → it (Error if local-only and it is a cloud arm);
   * else the best feasible arm by sampled score. Throws an Error listing each arm's exclusion when none is
   * feasible.
   */
  async selectForTurn(request: TurnRouteRequest): Promise<TurnRoute> {
    const task = await this.classify(request.prompt);
    this.classifierCounts[task.source] = (this.classifierCounts[task.source] ?? 0) + 1;
    const value = taskValue(task.type, task.priority);
    // Native tool use is required only when the engine sends tools AND the prompt needs them: the trivial-
    // prompt override (heuristic.ts) lets a no-tool arm answer "what is a closure".
    const requiresTools = request.requiresTools && task.requiresTools;
    const ctx: Omit<TurnContext, "armId"> = {
      task,
      value,
      requiresTools,
      estimatedPromptTokens: request.estimatedPromptTokens,
    };
    const label = `${task.type} (complexity ${task.complexity.toFixed(2)}, ${task.source})`;

    const pinned = this.pinnedArm !== undefined ? this.byId.get(this.pinnedArm) : undefined;
    if (pinned) {
      this.turn = { ...ctx, armId: pinned.id };
      return this.route(pinned, task, `${label}: ${pinned.id} named by the subagent's definition`);
    }
    const forced = this.arms.find((a) => a.forced);
    if (forced) {
      if (this.localOnly && !forced.local)
        throw new Error(
          `the forced arm ${forced.id} is a cloud model and local-only (incognito) mode is on: choose a local provider (llamacpp, ollama, lmstudio, embedded) or leave local-only mode`,
        );
      this.turn = { ...ctx, armId: forced.id };
      return this.route(forced, task, `${label}: ${forced.id} forced by --provider/--model`);
    }

    const { feasible, excluded } = this.partition(ctx, []);
    if (feasible.length === 0) throw new Error(noArmMessage(excluded));
    const ranked = feasible.map((a) => this.score(a, ctx, true)).sort((x, y) => y.score - x.score);
    const best = ranked[0]!;
    this.turn = { ...ctx, armId: best.arm.id };
    const runnerUp = ranked[1];
    const reason =
      `${label}: ${best.arm.id} θ=${best.theta.toFixed(2)} (mean ${best.mean.toFixed(2)}, n=${this.bandit.cell(best.arm.id, task.type)?.n ?? 0})` +
      ` × value ${value.toFixed(2)} / cost ${best.effCost.toFixed(2)} ($${best.costUSD.toFixed(4)})` +
      (runnerUp ? `; next ${runnerUp.arm.id} ${runnerUp.score.toFixed(3)} vs ${best.score.toFixed(3)}` : "") +
      (excluded.length > 0 ? `; excluded ${excluded.map((e) => e.id).join(", ")}` : "");
    return this.route(best.arm, task, reason);
  }

  /**
   * The next arm after `failed` failed before streaming: the best feasible arm by posterior-mean score,
   * excluding `excluded` and `failed`. A non-rate-limit failure also counts as a failed outcome for the
   * failed arm on this task type. Undefined when no arm is left or the failed arm was forced (pinned).
   */
  async failover(
    failed: ArmHandle,
    error: unknown,
    excluded: readonly string[],
  ): Promise<TurnRoute | undefined> {
    const turn = this.turn;
    const failedArm = this.byId.get(failed.id);
    if (!turn || failedArm?.forced) return undefined;
    const { status } = errorStatus(error);
    const rateLimited = status !== undefined && BACKOFF_STATUSES.includes(status);
    if (failedArm && !rateLimited && !isLimitError(error)) {
      this.bandit.update(failedArm.id, turn.task.type, false);
      this.touch();
    }
    const { feasible } = this.partition(turn, [...excluded, failed.id]);
    if (feasible.length === 0) return undefined;
    const next = feasible.map((a) => this.score(a, turn, false)).sort((x, y) => y.score - x.score)[0]!;
    turn.armId = next.arm.id;
    return this.route(
      next.arm,
      turn.task,
      `failover from ${failed.id} (${shortError(error)}): ${next.arm.id} mean ${next.mean.toFixed(2)} / cost ${next.effCost.toFixed(2)}`,
    );
  }

  /**
   * Reserves one request (+ `estimatedTokens` prompt and RESERVE_OUTPUT_TOKENS completion tokens, and their
   * cost) on the arm's pools. Throws a ProviderError (429, kind transient) naming the exhausted limit.
   */
  beginRound(arm: ArmHandle, estimatedTokens: number): void {
    const a = this.byId.get(arm.id);
    const pools = this.pools.get(arm.id);
    if (!a || !pools || pools.pools.length === 0) return;
    const demand: PoolDemand = {
      tokens: estimatedTokens + RESERVE_OUTPUT_TOKENS,
      costUSD: requestCostUSD(a, estimatedTokens, RESERVE_OUTPUT_TOKENS),
    };
    const r = pools.reserve(demand);
    if (isRefusal(r)) {
      throw new ProviderError({
        kind: "transient",
        provider: a.provider,
        statusCode: 429,
        retryable: r.retryAfterMs <= 30_000,
        retryAfterMs: r.retryAfterMs,
        message: `${a.id}: configured ${r.kind} limit of ${r.limit} reached (frees in ${Math.ceil(r.retryAfterMs / 1000)} s)`,
        hint: "wait, raise the limit in [[arms]] limits, or add another arm to fail over to",
        cause: LIMIT_MARK,
      });
    }
    const list = this.pending.get(arm.id) ?? [];
    list.push(r);
    this.pending.set(arm.id, list);
  }

  /** Commits the round's actual tokens and cost to the pools and folds TTFT and tokens/s into the arm's averages. */
  reportRound(report: RoundReport): void {
    const a = this.byId.get(report.arm.id);
    if (!a) return;
    const { inputTokens, outputTokens } = report.usage;
    const actual: PoolDemand = {
      tokens: inputTokens + outputTokens,
      costUSD: requestCostUSD(a, inputTokens, outputTokens),
    };
    const pools = this.pools.get(a.id)!;
    const r = this.pending.get(a.id)?.shift();
    if (r) pools.commit(r, actual);
    else pools.record(actual);
    const perfInput: { ttftMs?: number; durationMs: number; outputTokens: number } = {
      durationMs: report.durationMs,
      outputTokens,
    };
    if (report.ttftMs !== undefined) perfInput.ttftMs = report.ttftMs;
    this.perf[a.id] = updatePerf(this.perf[a.id] ?? { samples: 0 }, perfInput);
    this.backoff.clear(a.id);
    this.touch();
  }

  /** Rolls back the round's reservation; a 429/529 puts the arm in backoff (Retry-After, else 5 minutes). */
  reportRoundFailure(arm: ArmHandle, error: unknown): void {
    const r = this.pending.get(arm.id)?.shift();
    if (r) this.pools.get(arm.id)?.rollback(r);
    this.backoff.onError(arm.id, error);
  }

  /** Records the turn's outcome (success, tokens, cost, duration) for (arm, task type) in the bandit. */
  reportTurn(outcome: TurnOutcome): void {
    const a = this.byId.get(outcome.arm.id);
    if (!a || !isTaskType(outcome.taskType)) return;
    const { inputTokens, outputTokens } = outcome.usage;
    const estimatedPromptTokens = this.turn?.armId === a.id ? this.turn.estimatedPromptTokens : undefined;
    this.bandit.update(a.id, outcome.taskType, outcome.success, {
      inputTokens,
      outputTokens,
      costUSD: requestCostUSD(a, inputTokens, outputTokens),
      durationMs: outcome.durationMs,
      ...(estimatedPromptTokens !== undefined ? { estimatedPromptTokens } : {}),
    });
    this.turn = undefined;
    this.touch();
  }

  /**
   * A routing policy for a subagent's engine that runs beside the main one: it shares this router's arms, pools,
   * backoff, bandit and perf (so rate limits and spend caps hold across parallel subagents, and what they learn
   * counts), but keeps its own turn context and its own pending reservations, so turns running at once never
   * take each other's context or commit each other's reservations. `armId` (an arm id) pins the view to that arm.
   * The view is an object whose prototype is this router, with those fields of its own. Throws an Error for an
   * unknown `armId`.
   */
  forAgent(opts: { armId?: string } = {}): RoutingPolicy {
    if (opts.armId !== undefined && !this.byId.has(opts.armId))
      throw new Error(`no arm "${opts.armId}" (arms: ${this.arms.map((a) => a.id).join(", ")})`);
    const view = Object.create(this) as Router;
    Object.defineProperties(view, {
      turn: { value: undefined, writable: true },
      pending: { value: new Map<string, Reservation[]>() },
      pinnedArm: { value: opts.armId },
      touch: { value: () => this.touch() },
    });
    return view;
  }

  /** The learned state, for `saveRouterState` (call at exit, or after each turn). */
  snapshot(): RouterState {
    const pools: RouterState["pools"] = {};
    for (const [id, p] of this.pools) {
      const s = p.toState();
      if (s.length > 0) pools[id] = s;
    }
    return {
      version: 1,
      updatedAt: this.updatedAt,
      bandit: this.bandit.toState(),
      perf: structuredClone(this.perf),
      pools,
      classifierCounts: { ...this.classifierCounts },
    };
  }

  /** Arm × task type statistics of the current state (what `owlet router stats` prints). */
  stats(): RouterStats {
    return statsFromState(this.snapshot(), this.arms);
  }

  /** Backoff left for an arm, ms (0 when none). */
  backoffMs(armId: string): number {
    return this.backoff.remainingMs(armId);
  }

  private async classify(prompt: string): Promise<Task> {
    try {
      return await this.classifier.classify(prompt);
    } catch {
      return classifyHeuristic(prompt);
    }
  }

  private partition(ctx: Omit<TurnContext, "armId">, skip: readonly string[]) {
    const feasible: Arm[] = [];
    const excluded: { id: string; reasons: string[] }[] = [];
    for (const a of this.arms) {
      if (skip.includes(a.id)) continue;
      const demand: PoolDemand = {
        tokens: ctx.estimatedPromptTokens + RESERVE_OUTPUT_TOKENS,
        costUSD: requestCostUSD(a, ctx.estimatedPromptTokens, RESERVE_OUTPUT_TOKENS),
      };
      const refusal = this.pools.get(a.id)!.refusal(demand);
      const reasons = infeasibilityReasons(a, {
        complexity: ctx.task.complexity,
        requiresTools: ctx.requiresTools,
        estimatedPromptTokens: ctx.estimatedPromptTokens,
        localOnly: this.localOnly,
        backoffMs: this.backoff.remainingMs(a.id),
        ...(refusal ? { poolRefusal: refusal } : {}),
      });
      if (reasons.length === 0) feasible.push(a);
      else excluded.push({ id: a.id, reasons });
    }
    return { feasible, excluded };
  }

  /** Scores an arm: sampled θ (explore) or posterior mean (failover ranking) × value / effective cost. */
  private score(arm: Arm, ctx: Omit<TurnContext, "armId">, sample: boolean): Candidate {
    const type: TaskType = ctx.task.type;
    const strong = arm.strengths.includes(type);
    const mean = this.bandit.mean(arm.id, type, strong);
    const theta = sample ? this.bandit.sample(arm.id, type, strong) : mean;
    const cell = this.bandit.cell(arm.id, type);
    // A turn's prompt tokens scale with the first prompt: learned ratio per (arm, type), else the prior rounds.
    const inTok = (cell?.inputRatio ?? this.priorRounds) * ctx.estimatedPromptTokens;
    const outTok = cell?.outputTokens ?? this.priorOutput;
    const costUSD = requestCostUSD(arm, inTok, outTok);
    const costInput = {
      costUSD,
      value: ctx.value,
      costWeight: arm.costWeight,
      scarcity: this.pools.get(arm.id)!.scarcity(),
      referenceUSD: this.referenceUSD,
    };
    return {
      arm,
      theta,
      mean,
      costUSD,
      effCost: effectiveCost(costInput),
      score: armScore(theta, costInput),
    };
  }

  private route(arm: Arm, task: Task, reason: string): TurnRoute {
    return { arm: arm.handle, taskType: task.type, classifier: task.source, reason };
  }

  private touch(): void {
    this.updatedAt = this.now();
  }
}

/** Marks ProviderErrors raised by the router's own pools (not a provider failure: no bandit penalty). */
const LIMIT_MARK = Symbol.for("owlet.router.limit");

function isLimitError(err: unknown): boolean {
  return err instanceof Error && err.cause === LIMIT_MARK;
}

function shortError(err: unknown): string {
  const { status } = errorStatus(err);
  const msg = err instanceof Error ? err.message : String(err);
  const short = msg.length > 80 ? `${msg.slice(0, 77)}...` : msg;
  return status !== undefined && !short.includes(String(status)) ? `${status}: ${short}` : short;
}

function noArmMessage(excluded: { id: string; reasons: string[] }[]): string {
  const lines = excluded.map((e) => `  ${e.id}: ${e.reasons.join("; ")}`);
  return `no model arm can take this turn:\n${lines.join("\n")}\nAdd or enable an arm that fits (see [[arms]] in config), wait for a backoff to expire, or force one with --provider/--model.`;
}
