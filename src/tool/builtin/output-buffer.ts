/**
 * Collects a process's output up to a byte cap, keeping the first and last half of the cap and
 * counting what was dropped between them, so both the start (commands, first errors) and the end
 * (final errors, summaries) survive.
 */
export class HeadTailBuffer {
  readonly #half: number;
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  #tail: Buffer[] = [];
  #tailBytes = 0;
  #total = 0;

  /** `capBytes`: most bytes kept in total. */
  constructor(capBytes: number) {
    this.#half = Math.max(1, Math.floor(capBytes / 2));
  }

  /** Appends a chunk. */
  push(chunk: Buffer): void {
    this.#total += chunk.length;
    if (this.#headBytes < this.#half) {
      const take = Math.min(chunk.length, this.#half - this.#headBytes);
      this.#head.push(chunk.subarray(0, take));
      this.#headBytes += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    this.#tail.push(chunk);
    this.#tailBytes += chunk.length;
    while (this.#tailBytes - (this.#tail[0]?.length ?? 0) >= this.#half) {
      this.#tailBytes -= this.#tail.shift()!.length;
    }
  }

  /** Total bytes pushed. */
  get totalBytes(): number {
    return this.#total;
  }

  /** The kept text; `\n… N bytes omitted …\n` marks the gap when output exceeded the cap. */
  text(): string {
    const head = Buffer.concat(this.#head);
    let tail = Buffer.concat(this.#tail);
    if (tail.length > this.#half) tail = tail.subarray(tail.length - this.#half);
    const omitted = this.#total - head.length - tail.length;
    if (omitted <= 0) return Buffer.concat([head, tail]).toString("utf8");
    return `${head.toString("utf8")}\n… ${omitted} bytes omitted …\n${tail.toString("utf8")}`;
  }
}
