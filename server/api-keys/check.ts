import { API_KEY_PATTERN } from '../auth/api-key-secret.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import type { UsageRecorder } from '../auth/usage-recorder.js';
import type { Clock } from '../clock.js';
import type { ApiKeyOwner, Store } from '../store/types.js';
import { indexKeyOf, keyHashFromIndexKey } from './key-index.js';
import type { RevocationWatch } from './revocation/watch.js';

export interface KeyCheckDeps {
  store: Pick<Store, 'findApiKeyByHash'>;
  clock: Clock;
  /** Batches `lastUsedAt` and daily counts; without one, uses are not recorded. */
  usage?: UsageRecorder;
  /** Counts failed checks per client; a key that authenticates is never refused by it. */
  failures?: RateLimiter;
  /** Verified keys in memory, kept exact by their revocation watch; without one every check reads the database. */
  verifiedKeys?: RevocationWatch;
}

export type KeyRefusal = 'invalid_api_key' | 'api_key_expired' | 'rate_limited';

export type KeyCheck = { ok: true; owner: ApiKeyOwner } | { ok: false; refusal: KeyRefusal; retryAfterS: number };

// Refusals are what floods are made of: answered with shared objects, nothing allocated per request.
const REFUSED = {
  invalid_api_key: Object.freeze({ ok: false, refusal: 'invalid_api_key', retryAfterS: 0 }),
  api_key_expired: Object.freeze({ ok: false, refusal: 'api_key_expired', retryAfterS: 0 }),
} as const satisfies Record<string, KeyCheck>;

/**
 * The `/v1` key check (API.md §6): authenticate first, then count only failures. A malformed
 * secret is refused without touching the database; a key in the verified-key index costs a hash
 * and a `Map` read and is answered synchronously (no promise, no microtask: this runs on every
 * request of the platform); any other well-formed one costs one indexed lookup. No check writes.
 * `failureKey` names the client for the failure limit and is only computed on a failure, so
 * valid keys never pay for parsing forwarded addresses.
 */
export function checkApiKey(deps: KeyCheckDeps, secret: string | undefined, failureKey: () => string): KeyCheck | Promise<KeyCheck> {
  if (secret === undefined || !API_KEY_PATTERN.test(secret)) return fail(deps, 'invalid_api_key', failureKey);
  const indexKey = indexKeyOf(secret);
  const known = deps.verifiedKeys?.lookup(indexKey);
  if (known) return accept(deps, known, failureKey);
  return lookUp(deps, indexKey).then((owner) => (owner ? accept(deps, owner, failureKey) : fail(deps, 'invalid_api_key', failureKey)));
}

function accept(deps: KeyCheckDeps, owner: ApiKeyOwner, failureKey: () => string): KeyCheck | Promise<KeyCheck> {
  if (owner.expiresAt !== null && owner.expiresAt <= deps.clock.now()) return fail(deps, 'api_key_expired', failureKey);
  deps.usage?.record(owner.keyId);
  return { ok: true, owner };
}

async function lookUp(deps: KeyCheckDeps, indexKey: string): Promise<ApiKeyOwner | undefined> {
  const epoch = deps.verifiedKeys?.index.epoch ?? 0;
  const owner = await deps.store.findApiKeyByHash(keyHashFromIndexKey(indexKey));
  if (owner) deps.verifiedKeys?.remember(indexKey, owner, epoch);
  return owner;
}

async function fail(deps: KeyCheckDeps, refusal: keyof typeof REFUSED, failureKey: () => string): Promise<KeyCheck> {
  if (!deps.failures) return REFUSED[refusal];
  const decision = await deps.failures.hit(failureKey());
  return decision.allowed ? REFUSED[refusal] : { ok: false, refusal: 'rate_limited', retryAfterS: decision.retryAfterS };
}
