import { BudgetError } from "../context/budget.ts";
import { measureMessage, measureRequest } from "../context/measure.ts";
import { estimateCounter, type TokenCounter } from "../context/tokens.ts";
import { textOf } from "../message/build.ts";
import { ProviderError } from "../provider/errors.ts";
import type { ProviderRequest } from "../provider/types.ts";
import { type AccumulatedResponse, Accumulator } from "../stream/accumulator.ts";
import type { RepetitionDetector } from "./detectors/repetition.ts";
import type { DetectorTrip } from "./detectors/types.ts";
import type { EngineEvent } from "./events.ts";
import { DEFAULT_RETRY_DELAYS_MS, MAX_RETRY_AFTER_MS, retryDelay, sleep } from "./retry.ts";
import type { ArmHandle, RoutingPolicy, TurnRoute } from "./routing.ts";
import type { TurnStatus } from "./turn-result.ts";

/** Failovers allowed per round (as in gnoma's runLoop: 4). */
export const MAX_FAILOVERS_PER_ROUND = 4;

/** Default longest wait for the next stream event, ms. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;

/** Retries after HTTP 413 (request too large) per round, each with a strictly smaller request. */
export const MAX_TOO_LARGE_RETRIES = 3;

/**
 * A request refused as too large is retried at most this share of its size (tokens by the engine's counter), or,
 * when even the smallest request is larger than that, at any size strictly below the refused one.
 */
export const TOO_LARGE_SHRINK = 0.75;

/** How one round ended: a response (with a detector's trip, when the stream was cut), or the turn's end. */
export type RoundOutcome =
  | {
      status: "ok";
      response: AccumulatedResponse;
      trip?: DetectorTrip;
      /** Time to the first token, ms. */
      ttftMs?: number;
      /** The whole stream, ms. */
      durationMs: number;
    }
  | { status: TurnStatus; error: string; errorKind?: string };

/**
 * What a round needs of its turn (the engine's TurnRun implements it): the current arm (failover changes it),
 * the request for it (built anew for each attempt, so a 413 ceiling or a failover takes effect), the per-arm
 * prompt ceilings learned from 413s (shared by the engine's turns), the turn's time and events.
 */
export interface RoundHost {
  readonly signal: AbortSignal;
  /** The arm the next attempt goes to. */
  arm(): ArmHandle;
  /** Builds the request for the current arm (async: summary compaction may call a model). Throws BudgetError. */
  buildRequest(): Promise<ProviderRequest>;
  /** Prompt ceilings per arm id, tokens (learned from 413s; this module sets and deletes them). */
  readonly promptCeilings: Map<string, number>;
  counterFor(arm: ArmHandle): TokenCounter;
  /** Time left of the turn's limit, ms. */
  turnTimeLeft(): number;
  turnTimeoutMessage(): string;
  emit(event: EngineEvent): void;
  /** Keeps the text streamed before an interrupt in the history. */
  keepPartialText(text: string): void;
  /** Switches the turn to a failover's route. */
  adoptRoute(route: TurnRoute): void;
  /** The history's size now, tokens (for the routing policy's round reservation). */
  estimateTokens(): number;
  readonly routing: RoutingPolicy;
  /** First-byte and idle limits of an arm, ms; default streamIdleTimeoutMs for both. */
  streamTimeouts?: (arm: ArmHandle) => { firstByteMs: number; idleMs: number };
  /** Default DEFAULT_STREAM_IDLE_TIMEOUT_MS. */
  streamIdleTimeoutMs?: number;
  /** Retry delays, ms; default DEFAULT_RETRY_DELAYS_MS (gnoma's 1/2/4/8 s). */
  retryDelaysMs?: readonly number[];
}

/**
 * One round: build the request, stream it (text and reasoning deltas emitted as they come, the repetition
 * detector fed, a first-byte and idle watchdog per arm, a stall retried once), and on failure, in this order:
 * an interrupt ends the round `aborted` (the partial text kept); a failure after output began ends it; a 413
 * retries under a ceiling of TOO_LARGE_SHRINK of the refused size (or any strictly smaller request), at most
 * MAX_TOO_LARGE_RETRIES times; failover to another arm (at most MAX_FAILOVERS_PER_ROUND, as gnoma's runLoop);
 * retries with backoff (1/2/4/8 s, Retry-After); else `provider_error` with a hint. A request that cannot fit
 * ends `budget_error`. Never throws for provider failures; rethrows what buildRequest throws besides BudgetError.
 */
export async function streamRound(host: RoundHost, repetition: RepetitionDetector): Promise<RoundOutcome> {
  let attempt = 0;
  let failovers = 0;
  /** Retries after 413 this round, and the size (tokens) of the last request refused as too large. */
  let tooLargeRetries = 0;
  let tooLargeAt: number | undefined;
  /** Stalled requests this round: a stall is retried once, not four times (a stuck server stays stuck). */
  let stalls = 0;
  const excluded: string[] = [];
  for (;;) {
    let request: ProviderRequest;
    try {
      request = await host.buildRequest();
    } catch (err) {
      const ceiling = host.promptCeilings.get(host.arm().id);
      if (
        err instanceof BudgetError &&
        tooLargeAt !== undefined &&
        ceiling !== undefined &&
        ceiling < tooLargeAt - 1
      ) {
        // Not even the smallest request fits 0.75 of the refused size: take any request strictly smaller.
        host.promptCeilings.set(host.arm().id, tooLargeAt - 1);
        continue;
      }
      if (err instanceof BudgetError && tooLargeAt === undefined && ceiling !== undefined) {
        // A ceiling learned from an earlier 413 (a guess under the refused size) does not hold this turn's
        // smallest request: forget it and try; a new 413 teaches a new one.
        host.promptCeilings.delete(host.arm().id);
        continue;
      }
      if (err instanceof BudgetError) {
        return {
          status: "budget_error",
          error:
            tooLargeAt === undefined
              ? err.message
              : `${tooLargeMessage(tooLargeAt)} ${cannotShrinkMessage(err.parts.total)}`,
        };
      }
      throw err;
    }
    if (tooLargeAt !== undefined) {
      // A retry after 413 is strictly smaller, or the turn ends: sending the same request again cannot help.
      const size = measureRequest(request, host.counterFor(host.arm())).total;
      if (size >= tooLargeAt) {
        return {
          status: "budget_error",
          error: `${tooLargeMessage(tooLargeAt)} ${cannotShrinkMessage(size)}`,
        };
      }
    }
    const arm = host.arm();
    if (host.turnTimeLeft() <= 0) return { status: "provider_error", error: host.turnTimeoutMessage() };
    const started = Date.now();
    let ttftMs: number | undefined;
    const acc = new Accumulator();
    const cut = new AbortController();
    const onAbort = () => cut.abort(host.signal.reason);
    host.signal.addEventListener("abort", onAbort, { once: true });
    let trip: DetectorTrip | undefined;
    repetition.reset();
    const fallbackMs = host.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
    const limits = host.streamTimeouts?.(arm) ?? { firstByteMs: fallbackMs, idleMs: fallbackMs };
    let stalled: ProviderError | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    let events = 0;
    const rearm = () => {
      clearTimeout(watchdog);
      const waitMs = events === 0 ? limits.firstByteMs : limits.idleMs;
      const leftMs = host.turnTimeLeft();
      watchdog = setTimeout(
        () => {
          const overTurn = leftMs < waitMs;
          stalls++;
          stalled = new ProviderError({
            kind: "transient",
            provider: arm.provider.name,
            retryable: !overTurn && stalls <= 1,
            message: overTurn
              ? host.turnTimeoutMessage()
              : `${arm.id}: ${events === 0 ? "no response from the model within" : "no data from the model for"} ${Math.round(waitMs / 1000)} s`,
            hint: "the server may be overloaded or stuck; check it, or try another model (timeouts: [engine] in config)",
          });
          cut.abort(stalled);
        },
        Math.max(0, Math.min(waitMs, leftMs)),
      );
    };
    try {
      host.routing.beginRound?.(arm, host.estimateTokens());
      rearm();
      for await (const event of arm.provider.stream({ ...request, signal: cut.signal })) {
        events++;
        rearm();
        acc.apply(event);
        if (event.type === "text_delta" && event.text !== "") {
          ttftMs ??= Date.now() - started;
          host.emit({ type: "text_delta", text: event.text });
          trip = repetition.feed(event.text);
          if (trip) {
            cut.abort(new Error("repetition"));
            break;
          }
        } else if (event.type === "reasoning_delta") {
          ttftMs ??= Date.now() - started;
          host.emit({ type: "reasoning_delta", text: event.text });
        } else if (event.type === "tool_call_start") {
          ttftMs ??= Date.now() - started;
        }
      }
      const durationMs = Date.now() - started;
      const response = withEstimatedUsage(acc.response(), request);
      return trip
        ? { status: "ok", response, trip, ttftMs, durationMs }
        : { status: "ok", response, ttftMs, durationMs };
    } catch (caught) {
      const err = stalled ?? caught;
      // Releases the round's reservations; the policy decides what counts against the arm.
      host.routing.reportRoundFailure?.(arm, err);
      if (host.signal.aborted) {
        const partial = acc.response().message;
        if (textOf(partial).trim()) host.keepPartialText(textOf(partial));
        return { status: "aborted", error: "interrupted" };
      }
      if (acc.hasContent()) {
        return {
          status: "provider_error",
          error: `the model stream failed after output began: ${errorMessage(err)}`,
        };
      }
      if (
        err instanceof ProviderError &&
        err.kind === "too_large" &&
        tooLargeRetries < MAX_TOO_LARGE_RETRIES
      ) {
        // The arm refuses requests this large: fit this and later requests below a ceiling under the refused
        // size (compaction of older results, earlier turns' and then this turn's oldest rounds), and retry.
        tooLargeRetries++;
        tooLargeAt = measureRequest(request, host.counterFor(arm)).total;
        const ceiling = Math.floor(tooLargeAt * TOO_LARGE_SHRINK);
        host.promptCeilings.set(arm.id, Math.min(ceiling, host.promptCeilings.get(arm.id) ?? ceiling));
        host.emit({
          type: "compaction",
          reason: `request too large (413) at ${tooLargeAt} tokens: retrying under ${ceiling}`,
          droppedMessages: 0,
          compactedResults: 0,
        });
        continue;
      }
      if (failovers < MAX_FAILOVERS_PER_ROUND) {
        excluded.push(arm.id);
        const next = await host.routing.failover(arm, err, excluded);
        if (next) {
          failovers++;
          tooLargeAt = undefined;
          host.emit({ type: "failover", from: arm.id, to: next.arm.id, reason: shortReason(err) });
          host.adoptRoute(next);
          continue;
        }
      }
      const delay = retryDelay(err, attempt, host.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS);
      if (delay !== undefined) {
        attempt++;
        host.emit({ type: "retry", attempt, delayMs: delay, reason: shortReason(err) });
        try {
          await sleep(delay, host.signal);
        } catch {
          return { status: "aborted", error: "interrupted" };
        }
        continue;
      }
      return {
        status: "provider_error",
        error: describeProviderError(err),
        ...(err instanceof ProviderError ? { errorKind: err.kind } : {}),
      };
    } finally {
      clearTimeout(watchdog);
      host.signal.removeEventListener("abort", onAbort);
    }
  }
}

/**
 * The response with its usage estimated (chars/4) when the provider reported none — a stream cut by the
 * repetition detector ends before the server's usage chunk — so turn totals and routing costs are not zero.
 */
function withEstimatedUsage(response: AccumulatedResponse, request: ProviderRequest): AccumulatedResponse {
  if (response.usage.inputTokens > 0 || response.usage.outputTokens > 0) return response;
  const output = measureMessage(response.message, estimateCounter);
  return {
    ...response,
    usage: { inputTokens: measureRequest(request, estimateCounter).total, outputTokens: output },
  };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** One line, ≤ 160 chars (as gnoma's shortFailReason). */
export function shortReason(err: unknown): string {
  const line = errorMessage(err).replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

function describeProviderError(err: unknown): string {
  if (!(err instanceof ProviderError)) return errorMessage(err);
  let hint = err.hint;
  if (err.retryable && err.retryAfterMs !== undefined && err.retryAfterMs >= MAX_RETRY_AFTER_MS) {
    const wait = `the server asked to wait ${formatWait(err.retryAfterMs)} before retrying (owlet waits at most ${MAX_RETRY_AFTER_MS / 1000} s): run the prompt again then, or pick another model with --provider/--model`;
    hint = hint ? `${wait}; ${hint}` : wait;
  }
  return hint ? `${err.message}\nhint: ${hint}` : err.message;
}

/** The start of the message a turn ends with when a request refused as too large (413) cannot be made smaller. */
function tooLargeMessage(refusedTokens: number): string {
  return `The server refused the request as too large (HTTP 413, about ${refusedTokens} tokens) and owlet could not make it smaller.`;
}

/** What is left of a request that cannot shrink further, and what to do about it. */
function cannotShrinkMessage(tokens: number): string {
  return `The system prompt, tool schemas, the task and its latest round alone take about ${tokens} tokens. Shorten the prompt, offer fewer tools (--two-stage), or use a model with a larger context window.`;
}

/** A wait in ms as "45 s", "5 min" or "2 h". */
function formatWait(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}
