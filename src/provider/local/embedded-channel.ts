/**
 * A one-consumer queue that turns callback pushes (node-llama-cpp's onTextChunk & co.) into an async iteration:
 * `drain(work)` yields every pushed item in order until `work` settles, then rethrows its rejection if any.
 */
export class EventChannel<T> {
  private readonly items: T[] = [];
  private waiter: (() => void) | undefined;

  /** Queues one item and wakes the consumer. */
  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

  /**
   * Yields queued items while `work` runs and after it resolves (items pushed before it settled are never lost);
   * throws `work`'s rejection after yielding what was queued before it.
   */
  async *drain(work: Promise<unknown>): AsyncGenerator<T> {
    let settled = false;
    let failure: { error: unknown } | undefined;
    work.then(
      () => {
        settled = true;
        this.wake();
      },
      (error: unknown) => {
        failure = { error };
        settled = true;
        this.wake();
      },
    );
    while (true) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (settled) break;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
    if (failure) throw failure.error;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
