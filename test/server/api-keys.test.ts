import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, createKey, type KeyJson, listKeys, SECRET_PATTERN, v1 } from './api-keys.helpers.js';
import { createHarness, type Harness, testConfig } from './helpers.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('API keys (§5)', () => {
  let h: Harness;
  const signIn = async () => expect((await h.call('POST', '/api/signin', { email: 'owner@example.com', password: 'correct horse battery' })).status).toBe(200);
  beforeEach(async () => {
    h = createHarness();
    await h.signUpVerified('owner@example.com');
  });
  afterEach(() => h.close());

  describe('signed out', () => {
    it.each([
      ['GET', '/api/keys', undefined],
      ['POST', '/api/keys', { name: 'x' }],
      ['DELETE', '/api/keys/some-id', undefined],
    ])('%s %s answers 401 unauthenticated', async (method, path, body) => {
      await h.call('POST', '/api/signout');
      expect(h.cookie).toBeUndefined();
      const response = await h.call(method, path, body);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    });

    it('a signed-out session cannot list keys created while signed in', async () => {
      await createKey(h);
      const cookie = h.cookie;
      await h.call('POST', '/api/signout');
      const response = await h.call('GET', '/api/keys', undefined, { cookie: cookie! });
      expect(response.status).toBe(401);
    });
  });

  describe('POST /api/keys', () => {
    it('answers 201 with the key and its secret, which fits the contract', async () => {
      const response = await h.call('POST', '/api/keys', { name: 'Production' });
      expect(response.status).toBe(201);
      const { key, secret } = (await response.json()) as { key: KeyJson; secret: string };
      expect(secret).toMatch(SECRET_PATTERN);
      expect(key).toEqual({
        id: expect.any(String),
        name: 'Production',
        maskedKey: `pak-${secret.slice(4, 8)}…${secret.slice(-4)}`,
        expiresAt: null,
        lastUsedAt: null,
        createdAt: new Date(h.clock.ms).toISOString(),
        usage: new Array(30).fill(0),
      });
      expect(Object.keys(key).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'maskedKey', 'name', 'usage']);
    });

    it('makes a fresh 128-bit secret and id every time', async () => {
      const created = await Promise.all(Array.from({ length: 25 }, (_, i) => createKey(h, { name: `k${i}` })));
      expect(new Set(created.map((c) => c.secret)).size).toBe(25);
      expect(new Set(created.map((c) => c.key.id)).size).toBe(25);
      // Every hex digit shows up somewhere across 25 × 32 random digits; a constant or counter would not.
      const digits = new Set(created.flatMap((c) => [...c.secret.slice(4)]));
      expect(digits.size).toBe(16);
    });

    it('trims the name and allows 1 to 100 characters', async () => {
      expect((await createKey(h, { name: '  Staging  ' })).key.name).toBe('Staging');
      expect((await createKey(h, { name: 'a' })).key.name).toBe('a');
      const hundred = 'n'.repeat(100);
      expect((await createKey(h, { name: `  ${hundred}\t` })).key.name).toBe(hundred);
      expect((await listKeys(h)).map((k) => k.name)).toEqual([hundred, 'a', 'Staging']);
    });

    it.each([
      ['empty', { name: '' }],
      ['only spaces', { name: '   \t ' }],
      ['101 characters', { name: 'n'.repeat(101) }],
      ['missing', {}],
      ['a number', { name: 42 }],
      ['null', { name: null }],
    ])('refuses a name that is %s with 422 fields.name', async (_, body) => {
      const response = await h.call('POST', '/api/keys', body);
      expect(response.status).toBe(422);
      const json = (await response.json()) as { error: { code: string; message: string; fields: Record<string, string> } };
      expect(json.error.code).toBe('validation_failed');
      expect(json.error.fields.name).toEqual(expect.any(String));
      expect(json.error.fields.name!.length).toBeGreaterThan(5);
      expect(await listKeys(h)).toEqual([]);
    });

    it('accepts a future expiresAt in UTC or with an offset and answers it in UTC', async () => {
      const inUtc = await createKey(h, { name: 'utc', expiresAt: '2027-01-31T23:59:59.999Z' });
      expect(inUtc.key.expiresAt).toBe('2027-01-31T23:59:59.999Z');
      const withOffset = await createKey(h, { name: 'offset', expiresAt: '2027-02-01T01:00:00+02:00' });
      expect(withOffset.key.expiresAt).toBe('2027-01-31T23:00:00.000Z');
      const justAfterNow = await createKey(h, { name: 'soon', expiresAt: new Date(h.clock.ms + 1).toISOString() });
      expect(justAfterNow.key.expiresAt).toBe(new Date(h.clock.ms + 1).toISOString());
      expect((await createKey(h, { name: 'never', expiresAt: null })).key.expiresAt).toBeNull();
    });

    it.each([
      ['in the past', () => new Date(Date.parse('2026-11-26T12:00:00Z') - DAY).toISOString()],
      ['exactly now', () => '2026-11-26T12:00:00.000Z'],
      ['not a date', () => 'next tuesday'],
      ['a number', () => 1893456000000],
      ['an impossible date', () => '2030-02-30T00:00:00Z'],
      ['a local time without offset', () => '2030-01-01T00:00:00'],
      ['an empty string', () => ''],
    ])('refuses an expiresAt that is %s with 422 fields.expiresAt', async (_, value) => {
      const response = await h.call('POST', '/api/keys', { name: 'Key', expiresAt: value() });
      expect(response.status).toBe(422);
      const json = (await response.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(json.error.code).toBe('validation_failed');
      expect(Object.keys(json.error.fields)).toEqual(['expiresAt']);
      expect(await listKeys(h)).toEqual([]);
    });

    it('reports both bad fields at once', async () => {
      const response = await h.call('POST', '/api/keys', { name: '', expiresAt: 'soon' });
      expect(response.status).toBe(422);
      const json = (await response.json()) as { error: { fields: Record<string, string> } };
      expect(Object.keys(json.error.fields).sort()).toEqual(['expiresAt', 'name']);
    });

    it.each([
      ['a JSON array', '[]', 422],
      ['a JSON string', '"key"', 422],
      ['no body', undefined, 422],
      ['broken JSON', '{"name":', 400],
    ])('answers %s with the error shape, never a 500', async (_, body, status) => {
      const response = await h.call('POST', '/api/keys', body, body === undefined ? {} : { 'content-type': 'application/json' });
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: expect.objectContaining({ code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) }) });
    });

    it('refuses a state change from a foreign origin with 403', async () => {
      const response = await h.call('POST', '/api/keys', { name: 'csrf' }, { origin: 'https://evil.example' });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
      expect(await listKeys(h)).toEqual([]);
    });
  });

  describe('GET /api/keys', () => {
    it('lists only the signed-in user’s keys, newest first, never with the secret', async () => {
      const first = await createKey(h, { name: 'first' });
      h.clock.advance(1000);
      const second = await createKey(h, { name: 'second' });
      const sameMillisecond = await createKey(h, { name: 'third' });
      const mine = await listKeys(h);
      expect(mine.map((k) => k.id)).toEqual([sameMillisecond.key.id, second.key.id, first.key.id]);
      expect(mine[2]).toEqual(first.key);

      const text = await (await h.call('GET', '/api/keys')).text();
      for (const { secret } of [first, second, sameMillisecond]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.slice(4, 20));
      }

      await h.signUpVerified('other@example.com');
      expect(await listKeys(h)).toEqual([]);
      await createKey(h, { name: 'theirs' });
      expect((await listKeys(h)).map((k) => k.name)).toEqual(['theirs']);
    });

    it('shows lastUsedAt once the usage recorder has flushed', async () => {
      const { key, secret } = await createKey(h);
      h.clock.advance(5 * 60_000);
      const usedAt = h.clock.ms;
      expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
      h.clock.advance(1000);
      expect((await listKeys(h))[0]!.lastUsedAt).toBeNull();
      await h.usage.flush();
      const [listed] = await listKeys(h);
      expect(listed!.id).toBe(key.id);
      expect(listed!.lastUsedAt).toBe(new Date(usedAt).toISOString());
    });

    it('gives each key 30 daily use counts, oldest first, today last', async () => {
      const { key, secret } = await createKey(h, { name: 'busy' });
      const quiet = await createKey(h, { name: 'quiet' });
      const useTimes = async (n: number) => {
        for (let i = 0; i < n; i++) expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
        await h.usage.flush();
      };
      // Day 0 is 2026-11-26 (clock starts at 12:00 UTC).
      await useTimes(3);
      h.clock.advance(11 * HOUR + 59 * 60_000); // 23:59 the same UTC day
      await useTimes(1);
      h.clock.advance(2 * 60_000); // 00:01 the next day
      await useTimes(2);
      h.clock.advance(28 * DAY); // 29 days after day 0: day 0 is the oldest of the 30
      await useTimes(5);
      await signIn(); // the session idled out over those days

      const byName = new Map((await listKeys(h)).map((k) => [k.name, k]));
      const expected = new Array(30).fill(0);
      expected[0] = 4;
      expected[1] = 2;
      expected[29] = 5;
      expect(byName.get('busy')!.usage).toEqual(expected);
      expect(byName.get('quiet')!.usage).toEqual(new Array(30).fill(0));
      expect(byName.get('busy')!.id).toBe(key.id);
      expect(quiet.key.usage).toHaveLength(30);

      h.clock.advance(DAY); // day 0 leaves the window
      await signIn();
      const [, , ...rest] = expected;
      expect((await listKeys(h)).find((k) => k.name === 'busy')!.usage).toEqual([2, ...rest, 0]);
    });
  });

  describe('DELETE /api/keys/{id}', () => {
    it('deletes the key at once: 204, gone from the list, refused on the next request', async () => {
      const keep = await createKey(h, { name: 'keep' });
      const drop = await createKey(h, { name: 'drop' });
      expect((await v1(h, '/v1/whoami', bearer(drop.secret))).status).toBe(200);

      const response = await h.call('DELETE', `/api/keys/${drop.key.id}`);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
      expect((await listKeys(h)).map((k) => k.id)).toEqual([keep.key.id]);

      const refused = await v1(h, '/v1/whoami', bearer(drop.secret));
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
      expect((await v1(h, '/v1/whoami', bearer(keep.secret))).status).toBe(200);

      const again = await h.call('DELETE', `/api/keys/${drop.key.id}`);
      expect(again.status).toBe(404);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('not_found');
      // Uses counted before the delete must not break the next flush.
      await expect(h.usage.flush()).resolves.toBeUndefined();
    });

    it('answers 404 for another user’s key and leaves it working', async () => {
      const { key, secret } = await createKey(h, { name: 'owner key' });
      await h.signUpVerified('intruder@example.com');
      const response = await h.call('DELETE', `/api/keys/${key.id}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
      expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
    });

    it.each([['an unknown id', 'no-such-key'], ['a very long id', 'x'.repeat(500)], ['an id with odd characters', "%27%20OR%201%3D1--"]])(
      'answers 404 not_found for %s',
      async (_, id) => {
        const response = await h.call('DELETE', `/api/keys/${id}`);
        expect(response.status).toBe(404);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
      },
    );

    it('refuses a delete from a foreign origin with 403 and keeps the key', async () => {
      const { key } = await createKey(h);
      const response = await h.call('DELETE', `/api/keys/${key.id}`, undefined, { origin: 'https://evil.example' });
      expect(response.status).toBe(403);
      expect((await listKeys(h)).map((k) => k.id)).toEqual([key.id]);
    });
  });

  describe('secrets at rest', () => {
    it('stores only a SHA-256 hash: no database file holds the secret or its random part', async () => {
      const created = await Promise.all(Array.from({ length: 5 }, (_, i) => createKey(h, { name: `key ${i}` })));
      for (const { secret } of created) expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
      await h.usage.flush();

      const bytes = await h.databaseBytes();
      for (const { secret } of created) {
        const hex = secret.slice(4);
        expect(bytes.includes(secret)).toBe(false);
        expect(bytes.includes(hex)).toBe(false);
        expect(bytes.includes(hex.slice(4, 28))).toBe(false);
        expect(bytes.includes(Buffer.from(hex, 'hex'))).toBe(false);
        // The search does see what is stored: the hash is there.
        expect(bytes.includes(createHash('sha256').update(secret).digest())).toBe(true);
      }
    });
  });
});

describe('API keys with an organization config', () => {
  it('answers 403 for a state change from an origin allowed only for another organization', async () => {
    const config = testConfig({}, {
      organizations: [
        { id: 'default', name: 'Default' },
        { id: 'partner', name: 'Partner', allowedOrigins: ['https://partner.example'] },
      ],
    });
    const h = createHarness({ config });
    try {
      await h.signUpVerified('member@example.com');
      const response = await h.call('POST', '/api/keys', { name: 'cross' }, { origin: 'https://partner.example' });
      expect(response.status).toBe(403);
      expect(await listKeys(h)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
