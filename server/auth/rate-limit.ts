import type { Clock } from '../clock.js';
import { rateLimited } from '../errors.js';

export interface Limit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

/**
 * Fixed-window counters in memory, one per key. Bounded: expired windows are swept as new
 * ones open, so a flood of distinct keys cannot grow it without limit.
 */
export class RateLimiter {
  #windows = new Map<string, { count: number; resetAt: number }>();
  #nextSweep = 0;

  constructor(
    private readonly limit: Limit,
    private readonly clock: Clock,
  ) {}

  /** Counts an attempt; throws 429 `rate_limited` with Retry-After once the window is full. */
  hit(key: string): void {
    const now = this.clock.now();
    this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.limit.windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    if (window.count > this.limit.max) throw rateLimited(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
  }

  /** Throws 429 if `key` has used up its window, without counting an attempt. */
  check(key: string): void {
    const now = this.clock.now();
    const window = this.#windows.get(key);
    if (window && window.resetAt > now && window.count >= this.limit.max) {
      throw rateLimited(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
    }
  }

  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + this.limit.windowMs;
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}

const MINUTE = 60_000;

/** The server's limits; generous for people, tight for scripts guessing passwords or keys. */
export function createRateLimits(clock: Clock) {
  return {
    signInPerEmail: new RateLimiter({ max: 10, windowMs: 15 * MINUTE }, clock),
    signInPerAddress: new RateLimiter({ max: 50, windowMs: 15 * MINUTE }, clock),
    signUpPerAddress: new RateLimiter({ max: 20, windowMs: 60 * MINUTE }, clock),
    signUpPerEmail: new RateLimiter({ max: 5, windowMs: 60 * MINUTE }, clock),
    resendPerEmail: new RateLimiter({ max: 3, windowMs: 15 * MINUTE }, clock),
    resendPerAddress: new RateLimiter({ max: 20, windowMs: 15 * MINUTE }, clock),
    verifyPerAddress: new RateLimiter({ max: 30, windowMs: 15 * MINUTE }, clock),
    invalidApiKeyPerAddress: new RateLimiter({ max: 100, windowMs: MINUTE }, clock),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
