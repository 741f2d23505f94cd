import type { Clock } from '../clock.js';

export interface Limit {
  /** Events allowed per window. */
  max: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  retryAfterS: number;
}

/** A counter per key that says whether the key is within its limit; async so a shared store can back it. */
export interface RateLimiter {
  /** Counts one event for `key`; `allowed` is false once the window is over its limit. */
  hit(key: string): Promise<RateDecision>;
  /** The decision for `key` without counting. */
  check(key: string): Promise<RateDecision>;
}

const ALLOWED: RateDecision = { allowed: true, retryAfterS: 0 };

/**
 * Fixed-window counters in memory, one per key. Expired windows are swept as new ones open.
 */
export class MemoryRateLimiter implements RateLimiter {
  #windows = new Map<string, { count: number; resetAt: number }>();
  #nextSweep = 0;

  constructor(
    private readonly limit: Limit,
    private readonly clock: Clock,
  ) {}

  async hit(key: string): Promise<RateDecision> {
    const now = this.clock.now();
    this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + this.limit.windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return window.count > this.limit.max ? this.#refusal(window.resetAt, now) : ALLOWED;
  }

  async check(key: string): Promise<RateDecision> {
    const now = this.clock.now();
    const window = this.#windows.get(key);
    return window && window.resetAt > now && window.count >= this.limit.max ? this.#refusal(window.resetAt, now) : ALLOWED;
  }

  #refusal(resetAt: number, now: number): RateDecision {
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((resetAt - now) / 1000)) };
  }

  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + this.limit.windowMs;
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }
}

const MINUTE = 60_000;

/** The server's limits; generous for people, tight for scripts guessing passwords, codes or keys. */
export function createRateLimits(clock: Clock) {
  const limiter = (max: number, windowMs: number) => new MemoryRateLimiter({ max, windowMs }, clock);
  return {
    /** Wrong passwords from one address, whatever the email. */
    signInFailuresPerAddress: limiter(50, 15 * MINUTE),
    /** Wrong passwords for one email from everyone: once full, only clients that have not failed for it may try. */
    signInFailuresPerEmail: limiter(10, 15 * MINUTE),
    /** Wrong passwords for one email from one address. */
    signInFailuresPerClientEmail: limiter(5, 15 * MINUTE),
    /** Whether this client has failed for this email at all in the window. */
    signInFailedBefore: limiter(1, 15 * MINUTE),
    signUpPerAddress: limiter(20, 60 * MINUTE),
    resendPerAddress: limiter(20, 15 * MINUTE),
    /** Wrong links and codes from one address. */
    verifyFailuresPerAddress: limiter(30, 15 * MINUTE),
    passwordResetPerAddress: limiter(10, 15 * MINUTE),
    /** WebAuthn challenges asked for from one address: each one is a row until it expires. */
    passkeyChallengesPerAddress: limiter(60, 15 * MINUTE),
    invalidApiKeyPerAddress: limiter(100, MINUTE),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
