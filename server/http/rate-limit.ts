/**
 * Counts failures per key in a sliding window. In memory by design: limits
 * protect a running process and need not survive a restart.
 */
export class RateLimiter {
  readonly #hits = new Map<string, number[]>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: { max: number; windowMs: number; now?: () => number }) {
    this.#max = options.max;
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
  }

  #recent(key: string): number[] {
    const since = this.#now() - this.#windowMs;
    const hits = (this.#hits.get(key) ?? []).filter((t) => t > since);
    if (hits.length === 0) this.#hits.delete(key);
    else this.#hits.set(key, hits);
    return hits;
  }

  /** Seconds until the key may try again, or 0 when it may now. */
  retryAfter(key: string): number {
    const hits = this.#recent(key);
    if (hits.length < this.#max) return 0;
    return Math.max(1, Math.ceil((hits[0] + this.#windowMs - this.#now()) / 1000));
  }

  hit(key: string): void {
    const hits = this.#recent(key);
    hits.push(this.#now());
    this.#hits.set(key, hits);
    if (this.#hits.size > 100_000) this.#sweep();
  }

  reset(key: string): void {
    this.#hits.delete(key);
  }

  #sweep(): void {
    for (const key of [...this.#hits.keys()]) this.#recent(key);
  }
}
