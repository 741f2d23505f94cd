import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { AppError, rateLimited } from '../errors.js';
import type { ApiKeyOwner, Store } from '../store/types.js';
import { API_KEY_PATTERN, hashApiKeySecret } from './api-key-secret.js';
import { clientAddress, requestHeader } from './node-request.js';
import type { RateLimiter } from './rate-limit.js';
import type { UsageRecorder } from './usage-recorder.js';

export interface RequireApiKeyOptions {
  store: Store;
  /** Batches `lastUsedAt` writes; without one, uses are not recorded. */
  usage?: UsageRecorder;
  /** Counts failed attempts per client address; once full, the address gets 429 before any lookup. */
  limiter?: RateLimiter;
  clock?: Clock;
  trustProxy?: boolean;
}

export type ApiKeyVariables = { apiKey: ApiKeyOwner };

const BEARER = /^Bearer\s+(\S+)$/i;
const bearerChallenge = { 'WWW-Authenticate': 'Bearer realm="perso"' };

/**
 * The presented key: `Authorization: Bearer pak-…` or `X-API-Key: pak-…`. Another
 * Authorization scheme (say Basic, for a proxy in front) doesn't hide an X-API-Key.
 */
function presentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  const bearer = authorization ? BEARER.exec(authorization.trim()) : null;
  if (bearer) return bearer[1];
  return apiKeyHeader?.trim();
}

/**
 * Hono middleware that admits requests carrying a valid, unexpired API key and puts its owner in
 * `c.get('apiKey')`. A malformed key is refused before the database; a valid one costs one
 * indexed lookup and no write (uses are batched by the `UsageRecorder`).
 *
 * Refusals are answered here, in the contract's error shape, rather than thrown: integrators
 * mount this on their own Hono app, whose error handler would turn our `AppError` into a 500.
 */
export function requireApiKey(options: RequireApiKeyOptions): MiddlewareHandler<{ Variables: ApiKeyVariables }> {
  const { store, usage, limiter, clock = systemClock, trustProxy = false } = options;

  /** The key's owner, or an `AppError` (401, or 429 once the address has failed too often). */
  async function authenticate(c: Context): Promise<ApiKeyOwner> {
    const address = limiter ? clientAddress(c, trustProxy) : '';
    const throttled = limiter && (await limiter.check(address));
    if (throttled && !throttled.allowed) throw rateLimited(throttled.retryAfterS);
    const fail = (code: 'invalid_api_key' | 'api_key_expired') => {
      void limiter?.hit(address);
      return new AppError(401, code, undefined, undefined, bearerChallenge);
    };

    const secret = presentedKey(requestHeader(c, 'authorization'), requestHeader(c, 'x-api-key'));
    if (!secret || !API_KEY_PATTERN.test(secret)) throw fail('invalid_api_key');
    const owner = await store.findApiKeyByHash(hashApiKeySecret(secret));
    if (!owner) throw fail('invalid_api_key');
    if (owner.expiresAt !== null && owner.expiresAt <= clock.now()) throw fail('api_key_expired');
    return owner;
  }

  return async (c, next) => {
    let owner: ApiKeyOwner;
    try {
      owner = await authenticate(c);
    } catch (error) {
      if (error instanceof AppError) return c.json(error.toBody(), error.status, error.headers);
      throw error;
    }
    usage?.record(owner.keyId);
    c.set('apiKey', owner);
    await next();
  };
}
