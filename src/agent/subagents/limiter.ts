/**
 * Who of the subagents may run now: read-only ones run side by side, up to `maxParallel` at once; one that can
 * change things runs alone (no other subagent runs while it does), so parallel subagents never edit the
 * workspace at the same time. Waiting subagents start in the order they asked (a waiting writer holds back the
 * readers behind it).
 */
export class SubagentLimiter {
  private readonly maxParallel: number;
  private readers = 0;
  private writer = false;
  private readonly queue: { readOnly: boolean; start: () => void }[] = [];

  /** `maxParallel` ≥ 1: read-only subagents at once (`[agents] max_parallel`). */
  constructor(maxParallel: number) {
    this.maxParallel = Math.max(1, Math.floor(maxParallel));
  }

  /** Runs `fn` once its turn comes (see the class); rejects with `signal`'s reason if it aborts while waiting. */
  async run<T>(readOnly: boolean, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await new Promise<void>((resolve, reject) => {
      const entry = { readOnly, start: resolve };
      this.queue.push(entry);
      signal?.addEventListener(
        "abort",
        () => {
          const i = this.queue.indexOf(entry);
          if (i >= 0) {
            this.queue.splice(i, 1);
            reject(signal.reason instanceof Error ? signal.reason : new Error("interrupted"));
          }
        },
        { once: true },
      );
      this.pump();
    });
    try {
      return await fn();
    } finally {
      if (readOnly) this.readers--;
      else this.writer = false;
      this.pump();
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      const can = next.readOnly
        ? !this.writer && this.readers < this.maxParallel
        : !this.writer && this.readers === 0;
      if (!can) return;
      this.queue.shift();
      if (next.readOnly) this.readers++;
      else this.writer = true;
      next.start();
    }
  }
}
