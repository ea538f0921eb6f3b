/**
 * Counts attempts per key in a sliding window.
 *
 * In memory by design: limits protect a running process and need not survive
 * a restart, and they cost no database write per attempt. It is also what
 * makes a reservation atomic without a lock: `takeAll` checks every limit and
 * counts the attempt in one synchronous step of the event loop, so parallel
 * requests cannot all pass the check before any of them is counted (the
 * password check, which awaits, comes after). One process serves the pages of
 * an instance (a separate queue worker serves none); were there several, each
 * would hold its own counts and the limits would multiply by their number.
 *
 * With `thenOneEveryMs` the limit slows rather than blocks: past `max` attempts
 * in the window, one more is let through every `thenOneEveryMs`.
 */
export class RateLimiter {
  readonly #hits = new Map<string, number[]>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #thenOneEveryMs: number | undefined;
  readonly #now: () => number;

  constructor(options: { max: number; windowMs: number; thenOneEveryMs?: number; now?: () => number }) {
    this.#max = options.max;
    this.#windowMs = options.windowMs;
    this.#thenOneEveryMs = options.thenOneEveryMs;
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
    const until = this.#thenOneEveryMs === undefined
      ? hits[0] + this.#windowMs
      : Math.min(hits[0] + this.#windowMs, hits[hits.length - 1] + this.#thenOneEveryMs);
    const ms = until - this.#now();
    return ms <= 0 ? 0 : Math.max(1, Math.ceil(ms / 1000));
  }

  /** Counts one attempt, allowed or not. */
  hit(key: string): void {
    const hits = this.#recent(key);
    hits.push(this.#now());
    this.#hits.set(key, hits);
    if (this.#hits.size > 100_000) this.#sweep();
  }

  /** Takes back the last attempt counted (it turned out not to be a failure). */
  refund(key: string): void {
    const hits = this.#hits.get(key);
    hits?.pop();
    if (hits?.length === 0) this.#hits.delete(key);
  }

  reset(key: string): void {
    this.#hits.delete(key);
  }

  #sweep(): void {
    for (const key of [...this.#hits.keys()]) this.#recent(key);
  }
}

export type LimitKey = readonly [RateLimiter, string];

/**
 * Reserves one attempt under every limit, or under none: returns 0 when the
 * attempt is counted everywhere, else the seconds until all would allow it.
 * Synchronous on purpose (see above); give the attempt back with `refundAll`
 * when it succeeds.
 */
export function takeAll(limits: readonly LimitKey[]): number {
  const wait = Math.max(0, ...limits.map(([limiter, key]) => limiter.retryAfter(key)));
  if (wait > 0) return wait;
  for (const [limiter, key] of limits) limiter.hit(key);
  return 0;
}

export function refundAll(limits: readonly LimitKey[]): void {
  for (const [limiter, key] of limits) limiter.refund(key);
}

/**
 * The limits on password sign-in, each counted before the password is checked
 * (`takeAll`), so no more passwords are checked than they allow, in parallel too.
 *
 * - `perIp`: 50 attempts per address in 15 minutes, over all accounts (one
 *   address trying many accounts).
 * - `perAccountAtIp`: 10 attempts per account from one address in 15 minutes
 *   (one address guessing one password). Blocks that address only: the owner
 *   elsewhere is not affected.
 * - `perAccount`: over all addresses, 10 attempts in 15 minutes, then one every
 *   30 seconds: guesses spread over many addresses are slowed to about 30 an
 *   account in 15 minutes, but the account is never locked, so its owner is
 *   at most asked to wait a few seconds.
 * - `perDevice`: a browser the owner signed in from before (a signed cookie,
 *   `knownDevice`) is counted here instead of `perAccount`, 10 attempts in 15
 *   minutes: guesses from elsewhere never slow the owner's own browser, and a
 *   stolen cookie buys few guesses.
 *
 * A successful sign-in gives its attempt back and clears its account's count
 * at that address; the other counts stay, so an attacker gains nothing when
 * the owner signs in.
 */
export interface LoginLimits {
  perIp: RateLimiter;
  perAccountAtIp: RateLimiter;
  perAccount: RateLimiter;
  perDevice: RateLimiter;
}

export function createLoginLimits(now?: () => number): LoginLimits {
  const windowMs = 15 * 60 * 1000;
  return {
    perIp: new RateLimiter({ max: 50, windowMs, now }),
    perAccountAtIp: new RateLimiter({ max: 10, windowMs, now }),
    perAccount: new RateLimiter({ max: 10, windowMs, thenOneEveryMs: 30_000, now }),
    perDevice: new RateLimiter({ max: 10, windowMs, now }),
  };
}
