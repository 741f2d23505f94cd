import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import type { Clock } from '../clock.js';
import { createRateLimits, type Limit, type RateDecision, type RateLimiter, type RateLimits } from './rate-limit.js';

/**
 * Limits that stay in each instance's memory even on PostgreSQL:
 * - `invalidApiKeyPerAddress` is checked on every refused `/v1` request, the path that must stay
 *   cheapest; an address spreading guesses over n instances gets n × 100 a minute, still far too
 *   few to guess a 128-bit key;
 * - `signInGlobal` and `signUpGlobal` are per-second budgets of password hashing, which is the
 *   CPU of the instance that does it: each instance protects its own.
 */
const PER_INSTANCE = new Set<keyof RateLimits>(['invalidApiKeyPerAddress', 'signInGlobal', 'signUpGlobal']);

/** Expired windows deleted per sweep, and at most one sweep per this long per limiter. */
const SWEEP_ROWS = 1_000;
const SWEEP_EVERY_MS = 60_000;

const ALLOWED: RateDecision = Object.freeze({ allowed: true, retryAfterS: 0 });

const refused = (resetAt: number, now: number): RateDecision => ({ allowed: false, retryAfterS: Math.max(1, Math.ceil((resetAt - now) / 1000)) });

/**
 * A fixed-window counter shared by every instance on one database: one row per limiter and
 * SHA-256 of the key (so a long key costs what a short one does), counted by one upsert so that
 * simultaneous hits from several instances all count. Windows are timed by the injected clock,
 * as the in-memory limiter's are. Expired rows are deleted in the background, a bounded batch at
 * a time, at most once a minute per limiter.
 */
export class PostgresRateLimiter implements RateLimiter {
  #nextSweepAt = 0;

  constructor(
    private readonly sql: postgres.Sql,
    /** Tells this limit's rows from the others' in the shared table. */
    private readonly name: string,
    readonly limit: Limit,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  async hit(key: string): Promise<RateDecision> {
    const now = this.clock.now();
    this.#sweepSometimes(now);
    const [row] = await this.sql<{ count: number; resetAt: number }[]>`
      INSERT INTO rate_limits (limiter, key_hash, count, reset_at) VALUES (${this.name}, ${digest(key)}, 1, ${now + this.limit.windowMs})
      ON CONFLICT (limiter, key_hash) DO UPDATE SET
        count = CASE WHEN rate_limits.reset_at <= ${now} THEN 1 ELSE rate_limits.count + 1 END,
        reset_at = CASE WHEN rate_limits.reset_at <= ${now} THEN excluded.reset_at ELSE rate_limits.reset_at END
      RETURNING count, reset_at`;
    return row!.count > this.limit.max ? refused(row!.resetAt, now) : ALLOWED;
  }

  async check(key: string): Promise<RateDecision> {
    const now = this.clock.now();
    const [row] = await this.sql<{ count: number; resetAt: number }[]>`
      SELECT count, reset_at FROM rate_limits WHERE limiter = ${this.name} AND key_hash = ${digest(key)} AND reset_at > ${now}`;
    return row && row.count >= this.limit.max ? refused(row.resetAt, now) : ALLOWED;
  }

  #sweepSometimes(now: number): void {
    if (now < this.#nextSweepAt) return;
    this.#nextSweepAt = now + SWEEP_EVERY_MS;
    this.sql`DELETE FROM rate_limits WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM rate_limits WHERE limiter = ${this.name} AND reset_at <= ${now} LIMIT ${SWEEP_ROWS}))`.then(() => {}, this.onError);
  }
}

const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * `createRateLimits` for several instances on one PostgreSQL: the same limits, counted in the
 * database, except the few that stay per instance (see PER_INSTANCE).
 */
export function createPostgresRateLimits(sql: postgres.Sql, clock: Clock, onError?: (error: unknown) => void): RateLimits {
  const local = createRateLimits(clock);
  const limits: Record<keyof RateLimits, RateLimiter> = { ...local };
  for (const name of Object.keys(local) as (keyof RateLimits)[]) {
    if (!PER_INSTANCE.has(name)) limits[name] = new PostgresRateLimiter(sql, name, local[name].limit, clock, onError);
  }
  return limits;
}
