import crypto, { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';

export interface Limit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

/** What a limiter decided; routes turn a refusal into 429 with `Retry-After: retryAfterS`. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window that refused ends; 0 when allowed. */
  retryAfterS: number;
}

/**
 * Counts events per key. Async so that a store shared by several instances (a database, Redis)
 * can back it; the in-memory one answers at once.
 */
export interface RateLimiter {
  /** Counts one event for `key`; `allowed` is false once the window is over its limit. */
  hit(key: string): Promise<RateDecision>;
  /** The decision for `key` without counting. */
  check(key: string): Promise<RateDecision>;
}

const ALLOWED: RateDecision = Object.freeze({ allowed: true, retryAfterS: 0 });
const ALLOWED_NOW: Promise<RateDecision> = Promise.resolve(ALLOWED);

/** Entries one limiter keeps unless told otherwise; see README "Rate limits and memory". */
export const DEFAULT_MAX_ENTRIES = 50_000;
/** Expired windows removed per call: more than the one a call can add, so sweeping keeps up without ever pausing on a big batch. */
const SWEEP_PER_CALL = 4;

const sha256 = typeof crypto.hash === 'function' ? (key: string) => crypto.hash('sha256', key, 'base64') : (key: string) => createHash('sha256').update(key).digest('base64');

/**
 * Fixed-window counters in memory, bounded whatever the traffic:
 * - keys are stored as their SHA-256 (44 characters), so an 8 KB key costs what a short one does;
 * - windows live in a ring of `maxEntries` slots in the order they opened, which is also the
 *   order they end: when the ring is full the oldest window goes (the one closest to ending
 *   anyway), so a flood of distinct keys evicts counters instead of growing the heap;
 * - expired windows are removed from the ring's front a few per call, never in one long sweep.
 * A Map alone would not do: deleting its oldest entries leaves holes that every later
 * "find the oldest" walks over, which made a flood cost ~50 µs per call.
 * Per process: counts are not shared between instances and start over on restart.
 */
export class MemoryRateLimiter implements RateLimiter {
  /** Key hash → its slot in the ring. */
  #slots = new Map<string, number>();
  /** Per slot: the key hash (undefined once the slot's window was replaced), its count and end. */
  readonly #ids: (string | undefined)[];
  readonly #counts: Uint32Array;
  readonly #resetAt: Float64Array;
  /** Oldest occupied slot, and how many slots from there on are occupied (live or replaced). */
  #head = 0;
  #used = 0;

  constructor(
    /** Public so that a limiter shared between instances can count to the same numbers. */
    readonly limit: Limit,
    private readonly clock: Clock,
    options: { maxEntries?: number } = {},
  ) {
    const capacity = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#ids = new Array<string | undefined>(capacity);
    this.#counts = new Uint32Array(capacity);
    this.#resetAt = new Float64Array(capacity);
  }

  /** Windows held now; never above `maxEntries`. */
  get size(): number {
    return this.#slots.size;
  }

  hit(key: string): Promise<RateDecision> {
    const now = this.clock.now();
    this.#sweep(now);
    const id = sha256(key);
    let slot = this.#slots.get(id);
    if (slot === undefined || this.#resetAt[slot]! <= now) {
      // A new window goes to the back of the ring, keeping the ring in the order windows end.
      if (slot !== undefined) this.#ids[slot] = undefined;
      slot = this.#append(id, now + this.limit.windowMs);
    }
    const count = ++this.#counts[slot]!;
    return count > this.limit.max ? refused(this.#resetAt[slot]!, now) : ALLOWED_NOW;
  }

  check(key: string): Promise<RateDecision> {
    const now = this.clock.now();
    const slot = this.#slots.get(sha256(key));
    if (slot === undefined) return ALLOWED_NOW;
    const resetAt = this.#resetAt[slot]!;
    return resetAt > now && this.#counts[slot]! >= this.limit.max ? refused(resetAt, now) : ALLOWED_NOW;
  }

  #append(id: string, resetAt: number): number {
    if (this.#used === this.#ids.length) this.#dropOldest();
    const slot = (this.#head + this.#used) % this.#ids.length;
    this.#used += 1;
    this.#ids[slot] = id;
    this.#counts[slot] = 0;
    this.#resetAt[slot] = resetAt;
    this.#slots.set(id, slot);
    return slot;
  }

  #dropOldest(): void {
    const id = this.#ids[this.#head];
    if (id !== undefined) this.#slots.delete(id);
    this.#ids[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#ids.length;
    this.#used -= 1;
  }

  #sweep(now: number): void {
    for (let i = 0; i < SWEEP_PER_CALL && this.#used > 0; i++) {
      if (this.#ids[this.#head] !== undefined && this.#resetAt[this.#head]! > now) return;
      this.#dropOldest();
    }
  }
}

const refused = (resetAt: number, now: number): Promise<RateDecision> =>
  Promise.resolve({ allowed: false, retryAfterS: Math.max(1, Math.ceil((resetAt - now) / 1000)) });

/** The one key of the limiters that count everyone together (`signInGlobal`, `signUpGlobal`). */
export const EVERYONE = 'all';

const SECOND = 1_000;
const MINUTE = 60_000;

/** The server's limits; generous for people, tight for scripts guessing passwords or keys. */
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
    /** Social sign-ins started from one address: each one is a stored state until it expires. */
    socialStartsPerAddress: limiter(60, 15 * MINUTE),
    invalidApiKeyPerAddress: limiter(100, MINUTE),
    // Sign-ins and sign-ups of everyone together (one key): a flood from many addresses queues
    // no more password hashes per second than the server can work through.
    signInGlobal: limiter(100, SECOND),
    signUpGlobal: limiter(50, SECOND),
    keyCreationPerUser: limiter(30, 10 * MINUTE),
  };
}

/** What the app needs of each limit: any limiter, so that one shared by instances can stand in (`createPostgresRateLimits`). */
export type RateLimits = { readonly [K in keyof ReturnType<typeof createRateLimits>]: RateLimiter };
