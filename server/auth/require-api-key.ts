import type { MiddlewareHandler } from 'hono';
import { checkApiKey, type KeyRefusal } from '../api-keys/check.js';
import { revocationWatchFor } from '../api-keys/revocation/for-store.js';
import type { RevocationWatch } from '../api-keys/revocation/watch.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { errorMessages } from '../errors.js';
import { clientRateLimitKey, type TrustProxy } from '../http/client-address.js';
import type { ApiKeyOwner, Store } from '../store/types.js';
import { requestHeader } from './node-request.js';
import type { RateLimiter } from './rate-limit.js';
import type { UsageRecorder } from './usage-recorder.js';

export interface RequireApiKeyOptions {
  store: Store;
  /** Batches `lastUsedAt` writes; without one, uses are not recorded. */
  usage?: UsageRecorder;
  /** Counts failed attempts per client address; once over, that address's failures get 429. Valid keys always pass. */
  limiter?: RateLimiter;
  clock?: Clock;
  /** Which proxies name the client in X-Forwarded-For; by default none (the socket's address). */
  trustProxy?: TrustProxy;
  /**
   * Keys verified once are then checked in memory, exactly as revocations allow. By default an
   * SQLite store gets one (it notices deletions by other processes on its own); pass
   * `startPostgresRevocationWatch(store)` for PostgreSQL, or `false` to read the database on every request.
   */
  verifiedKeys?: RevocationWatch | false;
}

export type ApiKeyVariables = { apiKey: ApiKeyOwner };

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The presented key: `Authorization: Bearer pak-…` or `X-API-Key: pak-…`. Another
 * Authorization scheme (say Basic, for a proxy in front) doesn't hide an X-API-Key.
 */
function presentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  const bearer = authorization ? BEARER.exec(authorization.trim()) : null;
  if (bearer) return bearer[1];
  return apiKeyHeader?.trim();
}

// Built once: a refusal costs no serialisation and no Error (whose stack trace alone cost more
// than the rest of a refusal). The bytes are the contract's error shape, as `c.json` would send.
const body = (code: KeyRefusal) => JSON.stringify({ error: { code, message: errorMessages[code] } });
const REFUSAL_BODIES: Record<KeyRefusal, string> = {
  invalid_api_key: body('invalid_api_key'),
  api_key_expired: body('api_key_expired'),
  rate_limited: body('rate_limited'),
};
const UNAUTHORIZED_HEADERS = { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="perso"' };

/**
 * Hono middleware that admits requests carrying a valid, unexpired API key and puts its owner in
 * `c.get('apiKey')`. The rule lives in `checkApiKey`; this only reads headers and answers.
 *
 * Refusals are answered here, in the contract's error shape, rather than thrown: integrators
 * mount this on their own Hono app, whose error handler would turn our errors into a 500.
 */
export function requireApiKey(options: RequireApiKeyOptions): MiddlewareHandler<{ Variables: ApiKeyVariables }> {
  const { trustProxy = { hops: 0 } } = options;
  const verifiedKeys = options.verifiedKeys === false ? undefined : (options.verifiedKeys ?? revocationWatchFor(options.store));
  const deps = { store: options.store, clock: options.clock ?? systemClock, usage: options.usage, failures: options.limiter, verifiedKeys };

  return async (c, next) => {
    const secret = presentedKey(requestHeader(c, 'authorization'), requestHeader(c, 'x-api-key'));
    const checked = checkApiKey(deps, secret, () => clientRateLimitKey(c, trustProxy));
    // Known keys are checked synchronously: awaiting them would cost the hot path a microtask.
    const result = checked instanceof Promise ? await checked : checked;
    if (!result.ok) {
      if (result.refusal !== 'rate_limited') return c.body(REFUSAL_BODIES[result.refusal], 401, UNAUTHORIZED_HEADERS);
      return c.body(REFUSAL_BODIES.rate_limited, 429, { 'Content-Type': 'application/json', 'Retry-After': String(result.retryAfterS) });
    }
    c.set('apiKey', result.owner);
    await next();
  };
}
