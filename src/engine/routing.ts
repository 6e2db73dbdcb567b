import type { Usage } from "../message/types.ts";
import type { Provider } from "../provider/types.ts";

/**
 * One arm as the engine sees it: a provider + model it can stream from, with the facts the engine's
 * per-round decisions need (two-stage routing, prompt budget, result compaction).
 */
export interface ArmHandle {
  /** Stable id, `<provider>/<model>` unless configured otherwise. */
  id: string;
  provider: Provider;
  model: string;
  /** True for llamacpp/ollama/lmstudio/embedded or a loopback base URL. */
  local: boolean;
  /** Context window in tokens, when known. */
  contextWindow?: number;
  /** Largest output the arm allows, in tokens, when known. */
  maxOutputTokens?: number;
  /** False when the model cannot take native tool schemas (tools then travel as text). Default true. */
  toolUse?: boolean;
}

/** What the engine tells the routing policy when a turn starts. */
export interface TurnRouteRequest {
  /** The user's prompt for this turn (never a tool-results message). */
  prompt: string;
  /** Estimated prompt size in tokens (system + tools + history + prompt). */
  estimatedPromptTokens: number;
  /** Whether the turn is expected to need tools (always true for print mode). */
  requiresTools: boolean;
}

/** The arm chosen for a turn and why (surfaced as the `routing` event). */
export interface TurnRoute {
  arm: ArmHandle;
  /** Classified task type, e.g. "debug"; "unclassified" when routing is fixed. */
  taskType: string;
  /** Where the classification came from: "heuristic", "slm", "slm_fallback", "fixed". */
  classifier: string;
  /** One line of reasoning for `--verbose` and stream-json. */
  reason: string;
}

/** Per-round measurements reported back to the routing policy (times in ms). */
export interface RoundReport {
  arm: ArmHandle;
  usage: Usage;
  /** Time from request start to first streamed token, ms; undefined when nothing streamed. */
  ttftMs?: number;
  durationMs: number;
}

/** How a turn ended, for learning. */
export interface TurnOutcome {
  arm: ArmHandle;
  taskType: string;
  /** True when the turn ended with end_turn and no max-turns, early-stop trip or provider failure. */
  success: boolean;
  usage: Usage;
  durationMs: number;
}

/**
 * The engine's view of model routing. The engine picks an arm once per turn (`selectForTurn`), keeps it for
 * every round of that turn, and asks for another only when the current one fails before any content was
 * streamed (`failover`). A fixed single-arm policy implements this trivially (see fixed-routing.ts); the
 * router layer implements it with a bandit.
 */
export interface RoutingPolicy {
  /** Chooses the arm for a turn. Throws an Error with a user-actionable message when no arm is feasible. */
  selectForTurn(request: TurnRouteRequest): Promise<TurnRoute>;
  /**
   * The next arm after `failed` failed with `error` before streaming content; undefined when none is left.
   * `excluded` lists arm ids that already failed this round.
   */
  failover(failed: ArmHandle, error: unknown, excluded: readonly string[]): Promise<TurnRoute | undefined>;
  /** Called before each request; may throw a ProviderError-like error when the arm's limits are exhausted. */
  beginRound?(arm: ArmHandle, estimatedTokens: number): void;
  /** Called after each successful round. */
  reportRound?(report: RoundReport): void;
  /** Called when a round's request failed (releases reservations; 429/529 puts the arm in backoff). */
  reportRoundFailure?(arm: ArmHandle, error: unknown): void;
  /** Called once at the end of each turn. */
  reportTurn?(outcome: TurnOutcome): void;
  /**
   * A policy for a subagent's engine, running beside this one: shared limits and learning, its own turn context
   * (see the router's forAgent); `armId` pins it to one arm (throws for an unknown one). Absent: the policy keeps
   * no per-turn state and can be shared as it is (one fixed arm).
   */
  forAgent?(opts?: { armId?: string }): RoutingPolicy;
}
