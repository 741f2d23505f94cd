import { afterEach, describe, expect, it } from 'vitest';
import { bearer, createKey, listKeys, v1 } from './api-keys.helpers.js';
import { expectError } from './expect.js';
import { createHarness, type Harness, TestClock, testConfig } from './helpers.js';
import { createTestDatabase, type TestDatabase } from './store/test-stores.js';

const PASSWORD = 'correct horse battery';

/**
 * API.md §8 in one process: two apps (two instances of the server, each with its own pool,
 * limiters and outbox) on one PostgreSQL database, as a load balancer would spread one user's
 * requests over them.
 */
describe('two instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let a: Harness;
  let b: Harness;
  const instances = async () => {
    database = await createTestDatabase();
    const clock = new TestClock();
    const config = testConfig({ PERSO_TRUST_PROXY: 'true' });
    a = createHarness({ database, clock, config });
    b = createHarness({ database, clock, config });
  };
  afterEach(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('keeps a session made on A working on B, and a sign-out on B ends it on A', async () => {
    await instances();
    const ada = await a.signUpVerified('ada@example.com', PASSWORD);
    b.cookie = a.cookie;
    expect(await (await b.call('GET', '/api/session')).json()).toMatchObject({ user: { id: ada.id, email: 'ada@example.com' } });
    expect((await b.call('POST', '/api/signout')).status).toBe(204);
    await expectError(await a.call('GET', '/api/session'), 401, 'unauthenticated');
  });

  it('completes on B a sign-up whose code A sent', async () => {
    await instances();
    const signup = await a.call('POST', '/api/signup', { email: 'grace@example.com', password: PASSWORD });
    expect(signup.status).toBe(202);
    const { attempt } = (await signup.json()) as { attempt: string };
    b.signupCookie = a.signupCookie;
    const verified = await b.call('POST', '/api/verify-email', { attempt, code: a.lastCode('grace@example.com') });
    expect(verified.status).toBe(200);
    // The link A mailed is now used up everywhere.
    await expectError(await a.call('POST', '/api/verify-email', { token: a.lastToken('grace@example.com') }), 400, 'invalid_token');
  });

  it('shares a sign-in lockout: failures on A count on B', async () => {
    await instances();
    await a.signUpVerified('ada@example.com', PASSWORD);
    const from = (h: Harness, password: string) => h.newBrowser().call('POST', '/api/signin', { email: 'ada@example.com', password }, { 'x-forwarded-for': '203.0.113.7' });
    for (let i = 0; i < 5; i++) expect((await from(i % 2 ? a : b, `guess ${i}`)).status).toBe(401);
    await expectError(await from(b, 'guess 5'), 429, 'rate_limited');
    await expectError(await from(a, PASSWORD), 429, 'rate_limited');
  });

  it('adds up the uses both instances flush for one key', async () => {
    await instances();
    await a.signUpVerified('ada@example.com', PASSWORD);
    const { secret } = await createKey(a);
    for (let i = 0; i < 7; i++) expect((await v1(a, '/v1/whoami', bearer(secret))).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await v1(b, '/v1/whoami', bearer(secret))).status).toBe(200);
    await Promise.all([a.usage.flush(), b.usage.flush()]);
    const [key] = await listKeys(a);
    expect(key!.usage.at(-1)).toBe(12);
  });
});
