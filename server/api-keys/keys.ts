import { randomUUID } from 'node:crypto';
import { displayParts, generateApiKeySecret, hashApiKeySecret } from '../auth/api-key-secret.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import { utcDay } from '../auth/usage-recorder.js';
import type { Clock } from '../clock.js';
import type { ApiKeyRecord, Store } from '../store/types.js';
import type { RevocationWatch } from './revocation/watch.js';

export interface ApiKeyDeps {
  store: Store;
  clock: Clock;
  /** PERSO_MAX_KEYS_PER_USER. */
  maxKeysPerUser: number;
  /** Key creations per user. */
  creations: RateLimiter;
  /** The `/v1` index: a deletion returns only once no process or instance can still accept the key. */
  verifiedKeys?: RevocationWatch;
}

/** A key as its owner sees it: never the secret, plus uses per UTC day. */
export interface ApiKeyView extends ApiKeyRecord {
  /** 30 daily use counts, oldest first, today (UTC) last. */
  usage: number[];
}

export type CreateKeyResult =
  | { ok: true; key: ApiKeyView; secret: string }
  | { ok: false; reason: 'invalid'; fields: Record<string, string> }
  | { ok: false; reason: 'too_many_keys' }
  | { ok: false; reason: 'rate_limited'; retryAfterS: number };

const DAY = 86_400_000;
export const USAGE_DAYS = 30;

/**
 * Characters a name may not hold: controls (C0, DEL, C1), line and paragraph separators,
 * bidirectional overrides and marks, zero-width characters (the soft hyphen included) and lone surrogates. Each can make
 * a name in the key list read as something other than what it is.
 */
const UNSAFE_NAME = /[\p{Cc}\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF\p{Cs}]/u;

/** Checks a new key's already-trimmed name and expiry; every problem at once, by field. */
function invalidFields(name: string, expiresAt: number | null, now: number): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  if (UNSAFE_NAME.test(name)) fields.name = 'Use visible characters only: no control, text-direction or zero-width characters.';
  if (expiresAt !== null && expiresAt <= now) fields.expiresAt = 'Choose a date in the future.';
  return Object.keys(fields).length ? fields : undefined;
}

/**
 * Creates a key for `userId` and returns its secret, the only time it exists outside the
 * caller. Refused when the input is invalid, when the user creates keys too fast, or when the
 * user already holds `maxKeysPerUser` keys (checked atomically by the store).
 */
export async function createApiKey(deps: ApiKeyDeps, userId: string, input: { name: string; expiresAt?: string | null }): Promise<CreateKeyResult> {
  const now = deps.clock.now();
  const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : null;
  const fields = invalidFields(input.name, expiresAt, now);
  if (fields) return { ok: false, reason: 'invalid', fields };
  const decision = await deps.creations.hit(userId);
  if (!decision.allowed) return { ok: false, reason: 'rate_limited', retryAfterS: decision.retryAfterS };

  const secret = generateApiKeySecret();
  const record: ApiKeyRecord = { id: randomUUID(), userId, name: input.name, ...displayParts(secret), expiresAt, lastUsedAt: null, createdAt: now };
  const created = await deps.store.createApiKey({ ...record, keyHash: hashApiKeySecret(secret) }, { maxPerUser: deps.maxKeysPerUser });
  if (!created) return { ok: false, reason: 'too_many_keys' };
  return { ok: true, key: { ...record, usage: new Array<number>(USAGE_DAYS).fill(0) }, secret };
}

/** The user's keys, newest first, each with its last 30 days of use. */
export async function listApiKeys(deps: Pick<ApiKeyDeps, 'store' | 'clock'>, userId: string): Promise<ApiKeyView[]> {
  const now = deps.clock.now();
  const days = Array.from({ length: USAGE_DAYS }, (_, i) => utcDay(now - (USAGE_DAYS - 1 - i) * DAY));
  const index = new Map(days.map((d, i) => [d, i]));
  const [keys, rows] = await Promise.all([deps.store.listApiKeys(userId), deps.store.apiKeyUsage(userId, days[0]!)]);
  const usage = new Map<string, number[]>();
  for (const row of rows) {
    const i = index.get(row.day);
    if (i === undefined) continue;
    let series = usage.get(row.keyId);
    if (!series) usage.set(row.keyId, (series = new Array<number>(USAGE_DAYS).fill(0)));
    series[i] = row.count;
  }
  return keys.map((k) => ({ ...k, usage: usage.get(k.id) ?? new Array<number>(USAGE_DAYS).fill(0) }));
}

/**
 * Revokes the key; false when `userId` owns no key `keyId` (someone else's included). Resolves
 * only once every process and instance refuses the key (API.md §8: "fails on the very next request").
 */
export async function deleteApiKey(deps: Pick<ApiKeyDeps, 'store' | 'verifiedKeys'>, userId: string, keyId: string): Promise<boolean> {
  const deleted = await deps.store.deleteApiKey(userId, keyId);
  if (deleted) await deps.verifiedKeys?.settle();
  return deleted;
}
