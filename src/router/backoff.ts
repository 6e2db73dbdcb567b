/**
 * Arm backoff after rate-limit/overload errors, as in gnoma (reference §2.5): a 429 or 529 puts the arm out
 * of selection for the server's Retry-After, else for 5 minutes. Times are epoch ms from an injected clock.
 */

/** Backoff when the server gives no Retry-After: 5 minutes (gnoma §2.5). */
export const DEFAULT_BACKOFF_MS = 5 * 60_000;

/** HTTP statuses that put an arm in backoff: 429 Too Many Requests, 529 Overloaded (Anthropic). */
export const BACKOFF_STATUSES: readonly number[] = [429, 529];

/**
 * Reads the HTTP status and Retry-After (ms) from an error: a `ProviderError` (`statusCode`, `retryAfterMs`)
 * or any object with `status`/`statusCode` and `retryAfterMs`. Undefined fields when absent.
 */
export function errorStatus(err: unknown): { status?: number; retryAfterMs?: number } {
  if (typeof err !== "object" || err === null) return {};
  const e = err as { statusCode?: unknown; status?: unknown; retryAfterMs?: unknown };
  const status =
    typeof e.statusCode === "number" ? e.statusCode : typeof e.status === "number" ? e.status : undefined;
  const retryAfterMs = typeof e.retryAfterMs === "number" && e.retryAfterMs >= 0 ? e.retryAfterMs : undefined;
  return {
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/** Backoff deadlines per arm id. */
export class Backoff {
  private readonly until = new Map<string, number>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  /**
   * Puts `armId` in backoff when `err` is a 429/529: for its Retry-After, else DEFAULT_BACKOFF_MS.
   * Returns the backoff length in ms, or undefined when the error does not call for backoff.
   */
  onError(armId: string, err: unknown): number | undefined {
    const { status, retryAfterMs } = errorStatus(err);
    if (status === undefined || !BACKOFF_STATUSES.includes(status)) return undefined;
    const ms = retryAfterMs ?? DEFAULT_BACKOFF_MS;
    this.set(armId, ms);
    return ms;
  }

  /** Backs `armId` off for `ms` from now (keeps a later existing deadline). */
  set(armId: string, ms: number): void {
    const until = this.now() + ms;
    this.until.set(armId, Math.max(until, this.until.get(armId) ?? 0));
  }

  /** Milliseconds of backoff left for `armId` (0 when none or expired; expired entries are dropped). */
  remainingMs(armId: string): number {
    const until = this.until.get(armId);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) {
      this.until.delete(armId);
      return 0;
    }
    return left;
  }

  /** Clears `armId`'s backoff (after a successful request). */
  clear(armId: string): void {
    this.until.delete(armId);
  }
}
