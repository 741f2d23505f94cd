import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../server/auth/rate-limit.js';
import { type ApiKeyVariables, requireApiKey } from '../../server/auth/require-api-key.js';
import { API_KEY_OWNER_SQL } from '../../server/store/sqlite/store.js';
import { bearer, countCalls, createKey, v1, watchDatabase } from './api-keys.helpers.js';
import { createHarness, type Harness, onPostgres, testConfig } from './helpers.js';

const HOUR = 3_600_000;
const VALID_LOOKING = `pak-${'0'.repeat(32)}`;

type ErrorJson = { error: { code: string; message: string; fields?: unknown } };

async function expectRefused(response: Response, code: 'invalid_api_key' | 'api_key_expired'): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer(\s|$)/);
  expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
}

describe('GET /v1/whoami (§6)', () => {
  let h: Harness;
  let user: { id: string; email: string };
  beforeEach(async () => {
    h = createHarness();
    user = await h.signUpVerified('ada@example.com');
  });
  afterEach(() => h.close());

  it('answers exactly {user, organization, key} for a Bearer key', async () => {
    const { key, secret } = await createKey(h, { name: 'CI' });
    const response = await v1(h, '/v1/whoami', bearer(secret));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toStrictEqual({
      user: { id: user.id, email: 'ada@example.com' },
      organization: { id: 'default', name: 'Perso AI Platform' },
      key: { id: key.id, name: 'CI' },
    });
  });

  it.each([
    ['X-API-Key', (s: string) => ({ 'x-api-key': s })],
    ['a lowercase bearer scheme', (s: string) => ({ authorization: `bearer ${s}` })],
    ['extra spaces', (s: string) => ({ authorization: `  Bearer   ${s}  ` })],
    ['X-API-Key next to another Authorization scheme', (s: string) => ({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': s })],
  ])('accepts the key sent with %s', async (_, headers) => {
    const { key, secret } = await createKey(h);
    const response = await v1(h, '/v1/whoami', headers(secret));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { key: { id: string } }).key.id).toBe(key.id);
  });

  it("reads the key from Node's parsed headers when served by @hono/node-server", async () => {
    const { key, secret } = await createKey(h);
    const node = (headers: Record<string, string>) => ({ incoming: { socket: { remoteAddress: '127.0.0.1' }, headers } });
    const served = await h.app.request('/v1/whoami', {}, node({ authorization: `Bearer ${secret}` }));
    expect(served.status).toBe(200);
    expect(((await served.json()) as { key: { id: string } }).key.id).toBe(key.id);
    const viaApiKey = await h.app.request('/v1/whoami', {}, node({ 'x-api-key': secret }));
    expect(viaApiKey.status).toBe(200);
    await expectRefused(await h.app.request('/v1/whoami', {}, node({})), 'invalid_api_key');
  });

  it('names the user’s organization from the configuration', async () => {
    await h.close();
    h = createHarness({ config: testConfig({}, { organizations: [{ id: 'acme', name: 'Acme Research' }] }) });
    const signup = await h.call('POST', '/api/signup', { email: 'bo@example.com', password: 'correct horse battery', organization: 'acme' });
    expect(signup.status).toBe(202);
    await h.call('POST', '/api/verify-email', { token: h.lastToken('bo@example.com') });
    const { secret } = await createKey(h);
    const body = (await (await v1(h, '/v1/whoami', bearer(secret))).json()) as { organization: unknown; user: { email: string } };
    expect(body.organization).toEqual({ id: 'acme', name: 'Acme Research' });
    expect(body.user.email).toBe('bo@example.com');
  });

  it('tells keys of different users apart', async () => {
    const first = await createKey(h, { name: 'first' });
    const other = await h.signUpVerified('grace@example.com');
    const second = await createKey(h, { name: 'second' });
    const a = (await (await v1(h, '/v1/whoami', bearer(first.secret))).json()) as { user: { id: string }; key: { name: string } };
    const b = (await (await v1(h, '/v1/whoami', bearer(second.secret))).json()) as { user: { id: string }; key: { name: string } };
    expect([a.user.id, a.key.name]).toEqual([user.id, 'first']);
    expect([b.user.id, b.key.name]).toEqual([other.id, 'second']);
  });

  it('does not take a session cookie instead of a key', async () => {
    await createKey(h);
    await expectRefused(await h.call('GET', '/v1/whoami'), 'invalid_api_key');
  });

  describe('refusals', () => {
    const malformed: [string, Record<string, string>][] = [
      ['no key at all', {}],
      ['an empty Bearer', { authorization: 'Bearer ' }],
      ['another scheme', { authorization: `Basic ${VALID_LOOKING}` }],
      ['no scheme', { authorization: VALID_LOOKING }],
      ['uppercase hex', { authorization: `Bearer pak-${'A'.repeat(32)}` }],
      ['a wrong prefix', { authorization: `Bearer sk-${'0'.repeat(32)}` }],
      ['31 hex characters', { authorization: `Bearer pak-${'0'.repeat(31)}` }],
      ['33 hex characters', { authorization: `Bearer pak-${'0'.repeat(33)}` }],
      ['two keys', { authorization: `Bearer ${VALID_LOOKING} ${VALID_LOOKING}` }],
      ['non-hex characters', { 'x-api-key': `pak-${'g'.repeat(32)}` }],
      ['SQL', { 'x-api-key': "pak-' OR 1=1 --" }],
      ['a huge value', { authorization: `Bearer pak-${'0'.repeat(20_000)}` }],
    ];

    it.each(malformed)('refuses %s with 401 invalid_api_key, without touching the database', async (_, headers) => {
      const lookups = countCalls(h.store, 'findApiKeyByHash');
      await expectRefused(await v1(h, '/v1/whoami', headers), 'invalid_api_key');
      expect(lookups.calls).toBe(0);
    });

    it('looks up a well-formed key once, by its SHA-256 hash, and refuses an unknown one', async () => {
      const lookups = countCalls(h.store, 'findApiKeyByHash');
      await expectRefused(await v1(h, '/v1/whoami', bearer(VALID_LOOKING)), 'invalid_api_key');
      expect(lookups.calls).toBe(1);
      const [hash] = lookups.args[0]!;
      expect(hash).toBeInstanceOf(Buffer);
      expect(hash.length).toBe(32);
    });

    it('refuses a deleted key on the very next request', async () => {
      const { key, secret } = await createKey(h);
      expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
      expect((await h.call('DELETE', `/api/keys/${key.id}`)).status).toBe(204);
      await expectRefused(await v1(h, '/v1/whoami', bearer(secret)), 'invalid_api_key');
    });

    it('refuses a key from the moment it expires, with 401 api_key_expired', async () => {
      const { secret } = await createKey(h, { name: 'short', expiresAt: new Date(h.clock.ms + HOUR).toISOString() });
      expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
      h.clock.advance(HOUR - 1);
      expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
      h.clock.advance(1);
      await expectRefused(await v1(h, '/v1/whoami', bearer(secret)), 'api_key_expired');
      await expectRefused(await v1(h, '/v1/whoami', { 'x-api-key': secret }), 'api_key_expired');
    });

    it('guards every /v1 path: 401 without a key, 404 not_found with one', async () => {
      await expectRefused(await v1(h, '/v1/nothing-here', {}), 'invalid_api_key');
      const { secret } = await createKey(h);
      const response = await v1(h, '/v1/nothing-here', bearer(secret));
      expect(response.status).toBe(404);
      expect(((await response.json()) as ErrorJson).error.code).toBe('not_found');
    });
  });

  describe('rate limit on invalid keys', () => {
    it('answers 429 with Retry-After within 200 bad tries from one address, then lets it try again later', async () => {
      const { secret } = await createKey(h);
      let limitedAt = 0;
      let limited: Response | undefined;
      for (let i = 1; i <= 200 && !limited; i++) {
        const response = await v1(h, '/v1/whoami', bearer(`pak-${i.toString(16).padStart(32, '0')}`), '10.0.0.9');
        if (response.status === 429) [limited, limitedAt] = [response, i];
        else expect(response.status).toBe(401);
      }
      expect(limited, 'no 429 within 200 tries').toBeDefined();
      expect(limitedAt).toBeGreaterThan(10);
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited!.json()) as ErrorJson).error.code).toBe('rate_limited');

      // While limited, the address's valid keys are still answered (API.md §6); its failures are not.
      expect((await v1(h, '/v1/whoami', bearer(secret), '10.0.0.9')).status).toBe(200);
      expect((await v1(h, '/v1/whoami', bearer(VALID_LOOKING), '10.0.0.9')).status).toBe(429);

      // Other addresses are not affected.
      expect((await v1(h, '/v1/whoami', bearer(secret), '10.0.0.10')).status).toBe(200);
      expect((await v1(h, '/v1/whoami', bearer(VALID_LOOKING), '10.0.0.10')).status).toBe(401);

      h.clock.advance(Number(limited!.headers.get('retry-after')) * 1000);
      expect((await v1(h, '/v1/whoami', bearer(secret), '10.0.0.9')).status).toBe(200);
    });

    it('does not count successful requests', async () => {
      const { secret } = await createKey(h);
      for (let i = 0; i < 250; i++) expect((await v1(h, '/v1/whoami', bearer(secret), '10.0.0.7')).status).toBe(200);
    });

    it('counts expired keys as failures too', async () => {
      const { secret } = await createKey(h, { name: 'short', expiresAt: new Date(h.clock.ms + 1000).toISOString() });
      h.clock.advance(1000);
      const statuses = new Set<number>();
      for (let i = 0; i < 200; i++) statuses.add((await v1(h, '/v1/whoami', bearer(secret), '10.0.0.8')).status);
      expect([...statuses].sort()).toEqual([401, 429]);
    });
  });

  // PostgreSQL's plan is held in store/postgres.test.ts.
  describe.skipIf(onPostgres)('the hot path, watched through the SQLite file', () => {
    it('writes nothing to the database while serving requests; usage waits for the flush', async () => {
      const { secret } = await createKey(h);
      const watcher = watchDatabase(h.dbPath);
      try {
        const before = watcher.dataVersion();
        for (let i = 0; i < 50; i++) expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
        for (let i = 0; i < 5; i++) expect((await v1(h, '/v1/whoami', bearer(VALID_LOOKING))).status).toBe(401);
        expect(watcher.dataVersion()).toBe(before);
        await h.usage.flush();
        // The watcher does see the server's commits: the flush is one.
        expect(watcher.dataVersion()).not.toBe(before);
      } finally {
        watcher.close();
      }
    });

    it('finds the key through an index: SQLite’s plan searches, never scans', async () => {
      await createKey(h);
      const db = new Database(h.dbPath, { readonly: true });
      try {
        const plan = db.prepare<[Buffer], { detail: string }>(`EXPLAIN QUERY PLAN ${API_KEY_OWNER_SQL}`).all(Buffer.alloc(32));
        const details = plan.map((row) => row.detail);
        expect(details).toHaveLength(2);
        expect(details.some((d) => /^SEARCH k USING (COVERING )?INDEX \S+ \(key_hash=\?\)$/.test(d))).toBe(true);
        expect(details.some((d) => /^SEARCH u USING (COVERING )?INDEX \S+ \(id=\?\)$/.test(d))).toBe(true);
        expect(details.filter((d) => d.startsWith('SCAN'))).toEqual([]);
      } finally {
        db.close();
      }
    });
  });
});

describe('requireApiKey() on an integrator’s own Hono app', () => {
  let h: Harness;
  afterEach(() => h.close());

  function integratorApp(options: Partial<Parameters<typeof requireApiKey>[0]> = {}) {
    const app = new Hono<{ Variables: ApiKeyVariables }>();
    app.use('/private/*', requireApiKey({ store: h.store, clock: h.clock, ...options }));
    app.get('/private/reports', (c) => c.json({ reportsFor: c.get('apiKey').userId, via: c.get('apiKey').keyName }));
    app.get('/public', (c) => c.text('hello'));
    return app;
  }

  it('admits a valid key, refuses others in the contract’s shape, and leaves other routes open', async () => {
    h = createHarness();
    const user = await h.signUpVerified();
    const { secret } = await createKey(h, { name: 'integration' });
    const app = integratorApp();

    const ok = await app.request('/private/reports', { headers: bearer(secret) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ reportsFor: user.id, via: 'integration' });

    await expectRefused(await app.request('/private/reports'), 'invalid_api_key');
    await expectRefused(await app.request('/private/reports', { headers: bearer(VALID_LOOKING) }), 'invalid_api_key');
    expect(await (await app.request('/public')).text()).toBe('hello');
  });

  it('refuses expired keys by its clock and records uses only when given a recorder', async () => {
    h = createHarness();
    await h.signUpVerified();
    const { secret } = await createKey(h, { expiresAt: new Date(h.clock.ms + HOUR).toISOString(), name: 'k' });
    const app = integratorApp({ usage: h.usage });
    expect((await app.request('/private/reports', { headers: { 'x-api-key': secret } })).status).toBe(200);
    const record = countCalls(h.store, 'recordApiKeyUsage');
    await h.usage.flush();
    expect(record.calls).toBe(1);
    h.clock.advance(HOUR);
    await expectRefused(await app.request('/private/reports', { headers: { 'x-api-key': secret } }), 'api_key_expired');
  });

  it('answers 429 itself when given a limiter', async () => {
    h = createHarness();
    const app = integratorApp({ limiter: new MemoryRateLimiter({ max: 3, windowMs: 60_000 }, h.clock) });
    const env = { incoming: { socket: { remoteAddress: '192.0.2.1' } } };
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.request('/private/reports', { headers: bearer(VALID_LOOKING) }, env)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await app.request('/private/reports', {}, env);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(((await limited.json()) as ErrorJson).error.code).toBe('rate_limited');
  });
});
