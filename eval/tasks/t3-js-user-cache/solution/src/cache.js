/** An in-memory cache whose entries expire `ttlMs` milliseconds after they are set. */
export class Cache {
  constructor(ttlMs, now = Date.now) {
    this.ttlMs = ttlMs;
    this.now = now;
    this.entries = new Map();
  }

  set(key, value) {
    this.entries.set(key, { value, storedAt: this.now() });
  }

  /** The value for `key`, or undefined when missing or expired. */
  get(key) {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() - entry.storedAt >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }
}
