import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../server/app.js';
import { displayParts, generateApiKeySecret, hashApiKeySecret } from '../../server/auth/api-key-secret.js';
import { createRateLimits } from '../../server/auth/rate-limit.js';
import { USAGE_FLUSH_MS } from '../../server/auth/usage-recorder.js';
import { DevOutbox } from '../../server/mail/dev-outbox.js';
import { openSqliteStore } from '../../server/store/sqlite/store.js';
import type { Store } from '../../server/store/types.js';
import { bearer, createKey, listKeys, v1 } from './api-keys.helpers.js';
import { expectError } from './expect.js';
import { createHarness, type Harness, onPostgres, TestClock, testConfig } from './helpers.js';

let h: Harness;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
});

/** `count` keys for `userId` straight into the store, as if created over time. */
async function seedKeys(store: Store, userId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const secret = generateApiKeySecret();
    await store.createApiKey({ id: `seed-${i}`, userId, name: `seed ${i}`, ...displayParts(secret), expiresAt: null, createdAt: i, keyHash: hashApiKeySecret(secret) });
  }
}

describe('keys per user (PERSO_MAX_KEYS_PER_USER)', () => {
  it('refuses the 101st key with 409 too_many_keys by default, and takes one again after a delete', async () => {
    h = createHarness();
    const user = await h.signUpVerified();
    await seedKeys(h.store, user.id, 100);
    await expectError(await h.call('POST', '/api/keys', { name: 'one too many' }), 409, 'too_many_keys');
    expect(await listKeys(h)).toHaveLength(100);
    expect((await h.call('DELETE', '/api/keys/seed-0')).status).toBe(204);
    await createKey(h, { name: 'room again' });
    expect(await listKeys(h)).toHaveLength(100);
  });

  it('honours a configured cap, counted per user', async () => {
    h = createHarness({ config: testConfig({ PERSO_MAX_KEYS_PER_USER: '3' }) });
    await h.signUpVerified();
    for (let i = 0; i < 3; i++) await createKey(h, { name: `k${i}` });
    await expectError(await h.call('POST', '/api/keys', { name: 'k3' }), 409, 'too_many_keys');
    await h.signUpVerified();
    await createKey(h, { name: 'another user’s first' });
  });

  it('cannot be passed by concurrent creations', async () => {
    h = createHarness();
    const user = await h.signUpVerified();
    await seedKeys(h.store, user.id, 95);
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => h.call('POST', '/api/keys', { name: `race ${i}` }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    expect(await listKeys(h)).toHaveLength(100);
  });
});

describe('key names', () => {
  const refused: [string, string][] = [
    ['a newline', 'CI\nprod'],
    ['a NUL', 'CI\u0000'],
    ['a C1 control', 'CI\u0085'],
    ['a right-to-left override', 'invoice\u202Etxt.exe'],
    ['a right-to-left isolate', 'a\u2067b'],
    ['a left-to-right mark', '\u200Eprod'],
    ['a zero-width space', 'pro\u200Bd'],
    ['a zero-width joiner', 'pro\u200Dd'],
    ['a zero-width no-break space (BOM)', 'pro\uFEFFd'],
    ['a soft hyphen', 'pro\u00ADd'],
    ['a lone surrogate', 'prod\uD800'],
  ];

  it.each(refused)('refuses a name with %s: 422 on name, nothing stored', async (_, name) => {
    h = createHarness();
    await h.signUpVerified();
    const error = await expectError(await h.call('POST', '/api/keys', { name }), 422, 'validation_failed', ['name']);
    expect(error.fields!.name).toMatch(/control, text-direction or zero-width/);
    expect(await listKeys(h)).toEqual([]);
  });

  it('reports a bad name and a past expiry together', async () => {
    h = createHarness();
    await h.signUpVerified();
    await expectError(await h.call('POST', '/api/keys', { name: 'a\u202Eb', expiresAt: new Date(h.clock.ms - 1000).toISOString() }), 422, 'validation_failed', ['name', 'expiresAt']);
  });

  it('keeps names in any script, with accents, emoji and inner spaces', async () => {
    h = createHarness();
    await h.signUpVerified();
    for (const name of ['Café – prod', '배포 키', 'مفتاح الإنتاج', 'CI 🚀', 'tab\u00A0nbsp']) expect((await createKey(h, { name })).key.name).toBe(name);
  });
});

describe('key creation rate', () => {
  it('limits creations per user (30 per 10 minutes), not per account holder next door', async () => {
    h = createHarness({ config: testConfig({ PERSO_MAX_KEYS_PER_USER: '1000' }) });
    await h.signUpVerified();
    for (let i = 0; i < 30; i++) await createKey(h, { name: `k${i}` });
    const limited = await h.call('POST', '/api/keys', { name: 'k30' });
    expect(limited.headers.get('retry-after')).toBe('600');
    await expectError(limited, 429, 'rate_limited');
    expect(await listKeys(h)).toHaveLength(30);
    await h.signUpVerified();
    await createKey(h, { name: 'someone else' });
  });
});

describe('createApp without a usage recorder', () => {
  it('still records key uses: lastUsedAt shows within 5 s', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    h = createHarness();
    await h.signUpVerified();
    const { key, secret } = await createKey(h);
    const clock = new TestClock();
    const app = createApp({ store: h.store, mailer: new DevOutbox(clock.now, () => {}), config: h.config, clock, limits: createRateLimits(clock), log: () => {} });
    expect((await app.request('/v1/whoami', { headers: bearer(secret) })).status).toBe(200);
    await vi.advanceTimersByTimeAsync(USAGE_FLUSH_MS);
    // The timer's flush has started; on PostgreSQL its write may still be on its way.
    await expect.poll(async () => (await listKeys(h)).find((k) => k.id === key.id)!.lastUsedAt).toBe(new Date(clock.ms).toISOString());
  });

  it('a recorder passed in but never started records too', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    h = createHarness();
    await h.signUpVerified();
    const { secret } = await createKey(h);
    expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
    await vi.advanceTimersByTimeAsync(USAGE_FLUSH_MS);
    // The timer's flush has started; on PostgreSQL its write may still be on its way.
    await expect.poll(async () => (await listKeys(h))[0]!.lastUsedAt).not.toBeNull();
  });
});

describe.skipIf(onPostgres)('the SQLite files', () => {
  it('are created readable by their owner only: folder 0700, database, -wal and -shm 0600', async () => {
    const root = mkdtempSync(join(tmpdir(), 'perso-modes-'));
    try {
      const dir = join(root, 'nested', 'data');
      const store = openSqliteStore(join(dir, 'perso.db'));
      await store.createApiKey({ id: 'k', userId: 'nobody', name: 'k', start: '0000', end: '0000', expiresAt: null, createdAt: 0, keyHash: Buffer.alloc(32) }).catch(() => {});
      const mode = (path: string) => statSync(path).mode & 0o777;
      expect(mode(join(root, 'nested'))).toBe(0o700);
      expect(mode(dir)).toBe(0o700);
      for (const file of ['perso.db', 'perso.db-wal', 'perso.db-shm']) expect([file, mode(join(dir, file))]).toEqual([file, 0o600]);
      await store.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
