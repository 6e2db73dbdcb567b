import { ProviderError } from "../provider/errors.ts";

/** Delays between retries of a transient provider error, ms (as in gnoma's retryOnTransient: 1/2/4/8 s). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000];

/** Retry-After values at or above this are not waited for (as in gnoma: honoured when under 30 s). */
export const MAX_RETRY_AFTER_MS = 30_000;

/**
 * The delay before retry number `attempt` (0-based) of `error`, or undefined when the error must not be
 * retried: not a retryable ProviderError, retries exhausted, or a Retry-After of 30 s or more (waiting less
 * than the server asked would only fail again; the error is reported instead, with its Retry-After).
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  delays: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
): number | undefined {
  if (!(error instanceof ProviderError) || !error.retryable) return undefined;
  if (attempt >= delays.length) return undefined;
  if (error.retryAfterMs !== undefined) {
    if (error.retryAfterMs >= MAX_RETRY_AFTER_MS) return undefined;
    if (error.retryAfterMs > 0) return error.retryAfterMs;
  }
  return delays[attempt];
}

/** Sleeps `ms`, rejecting early with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
