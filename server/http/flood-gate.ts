import type { Context, MiddlewareHandler } from 'hono';
import { MAX_HELD_REFUSALS, REFUSAL_DELAY_MS } from '../auth/hashing-limits.js';
import { hashingFullFor } from '../auth/passwords.js';
import { EVERYONE, type RateLimiter } from '../auth/rate-limit.js';
import { errorBodyText } from '../errors.js';

export interface FloodGateOptions {
  /** The per-second budgets the sign-in and sign-up rules count (key `EVERYONE`); here only read. */
  signInGlobal: RateLimiter;
  signUpGlobal: RateLimiter;
  /** 0 while a password hash could still queue, else the seconds the queue needs (see passwords.ts). */
  hashingFullFor?: () => number;
  /** Holds these routes' refusals; by default `REFUSAL_DELAY_MS`, at most `MAX_HELD_REFUSALS` at once. */
  tarpit?: Tarpit;
}

/**
 * A refusal answered after a short wait that costs no CPU (one timer): a client that asks again
 * the moment it is refused — a script, not a person — then sends one request per delay per
 * connection instead of one per round trip, and the event loop is left to everyone else.
 * The wait is never longer than the `Retry-After` the refusal carries (at least 1 s), so a
 * client that honours it loses nothing it was not already told to wait; answers that are not
 * refusals are never held. At most `maxHeld` wait at once, so the tarpit cannot itself become
 * the thing a flood exhausts; past that, refusals leave at once.
 */
export class Tarpit {
  #held = 0;

  constructor(
    readonly delayMs = REFUSAL_DELAY_MS,
    readonly maxHeld = MAX_HELD_REFUSALS,
  ) {}

  /** Refusals waiting now. */
  get held(): number {
    return this.#held;
  }

  /** Resolves after `delayMs`; undefined (answer at once) when `maxHeld` are already waiting. */
  hold(): Promise<void> | undefined {
    if (this.delayMs <= 0 || this.#held >= this.maxHeld) return undefined;
    this.#held += 1;
    return new Promise((resolve) =>
      setTimeout(() => {
        this.#held -= 1;
        resolve();
      }, this.delayMs),
    );
  }
}

const RATE_LIMITED = errorBodyText('rate_limited');
const BUSY = errorBodyText('busy');

/** The refusal itself: the bytes and headers `onError` would send for the same refusal. */
export const refuse = (c: Context, status: 429 | 503, retryAfterS: number): Response =>
  c.body(status === 429 ? RATE_LIMITED : BUSY, status, { 'Content-Type': 'application/json', 'Retry-After': String(retryAfterS) });

/**
 * Refuses sign-ins and sign-ups that the rules further on would refuse anyway, before their
 * body is read, parsed or validated: while everyone's per-second budget is spent (429) or the
 * password-hashing queue is full (503 `busy`). A flood is made of exactly these requests, so
 * each costs a header read, two counter look-ups and a pre-serialised answer.
 * Changes no answer's meaning: the rules count the budget and would refuse the same request
 * with the same code; only a request that is also malformed now hears 429/503 instead of 4xx
 * for its body, which it would hear on its next try.
 */
export function floodGate(options: FloodGateOptions): MiddlewareHandler {
  const fullFor = options.hashingFullFor ?? hashingFullFor;
  const tarpit = options.tarpit ?? new Tarpit();
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const path = c.req.path;
    const budget = path === '/api/signin' ? options.signInGlobal : path === '/api/signup' ? options.signUpGlobal : undefined;
    if (!budget) return next();
    const decision = await budget.check(EVERYONE);
    const busyFor = decision.allowed ? fullFor() : 0;
    if (!decision.allowed || busyFor > 0) {
      await tarpit.hold();
      return decision.allowed ? refuse(c, 503, busyFor) : refuse(c, 429, decision.retryAfterS);
    }
    await next();
    // The rules' own refusals (a client over its per-address or per-email budget, a queue that
    // filled meanwhile) wait the same.
    if (c.res.status === 429 || c.res.status === 503) await tarpit.hold();
  };
}
