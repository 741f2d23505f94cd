import { afterEach, describe, expect, it } from 'vitest';
import { expectError } from './expect.js';
import { createHarness, type Harness, testConfig } from './helpers.js';

const MINUTE = 60_000;
const PASSWORD = 'correct horse battery';

let h: Harness;
afterEach(() => h?.close());

/** A call from a given client address (behind the one trusted proxy). */
const from = (address: string, path: string, body: unknown) => h.newBrowser().call('POST', path, body, { 'x-forwarded-for': address });

describe('fair lockouts: others’ failures never lock the owner out', () => {
  it('limits one client guessing one account, but the owner from a client that has not failed still signs in', async () => {
    h = createHarness({ config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
    await h.signUpVerified('ada@example.com', PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await from('203.0.113.7', '/api/signin', { email: 'ada@example.com', password: `guess ${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const limited = await from('203.0.113.7', '/api/signin', { email: 'ada@example.com', password: PASSWORD });
    await expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await from('198.51.100.2', '/api/signin', { email: 'ada@example.com', password: PASSWORD })).status).toBe(200);
  });

  it('once many clients failed for an email, refuses those that failed and lets a fresh one with the right password in', async () => {
    h = createHarness({ config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
    await h.signUpVerified('ada@example.com', PASSWORD);
    for (let i = 0; i < 10; i++) expect((await from(`203.0.113.${i}`, '/api/signin', { email: 'ada@example.com', password: 'wrong' })).status).toBe(401);
    // The email's window is full: a client that failed is refused even with the right password…
    await expectError(await from('203.0.113.3', '/api/signin', { email: 'ada@example.com', password: PASSWORD }), 429, 'rate_limited');
    // …a fresh one still gets its try, and the owner's right password passes.
    await expectError(await from('192.0.2.50', '/api/signin', { email: 'ada@example.com', password: 'wrong again' }), 401, 'invalid_credentials');
    expect((await from('192.0.2.51', '/api/signin', { email: 'ada@example.com', password: PASSWORD })).status).toBe(200);
    h.clock.advance(15 * MINUTE);
    expect((await from('203.0.113.3', '/api/signin', { email: 'ada@example.com', password: PASSWORD })).status).toBe(200);
  });

  it('never refuses the owner’s own sign-up because of a flood of others for the address (mail is held, the answer stays 202)', async () => {
    h = createHarness({ config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
    for (let i = 0; i < 12; i++) expect((await from(`203.0.113.${i}`, '/api/signup', { email: 'ada@example.com', password: `flood password ${i}` })).status).toBe(202);
    expect(h.outbox.messages.filter((m) => m.to === 'ada@example.com')).toHaveLength(5);
    const owner = await from('198.51.100.9', '/api/signup', { email: 'ada@example.com', password: PASSWORD });
    expect(owner.status).toBe(202);
    expect(await owner.json()).toMatchObject({ mailHeld: true });
  });

  it('limits sign-ups per address to 20 an hour', async () => {
    h = createHarness({ config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await from('203.0.113.1', '/api/signup', { email: `u${i}@example.com`, password: PASSWORD })).status);
    expect(statuses).toEqual([...Array(20).fill(202), 429]);
    expect((await from('203.0.113.2', '/api/signup', { email: 'other@example.com', password: PASSWORD })).status).toBe(202);
  });

  it('limits wrong links and codes per address; without a trusted proxy, forwarded headers change nothing', async () => {
    const tryTokens = async (count: number, headers: Record<string, string> = {}) => {
      const statuses: number[] = [];
      for (let i = 0; i < count; i++) statuses.push((await h.call('POST', '/api/verify-email', { token: `guess-${i}` }, headers)).status);
      return statuses;
    };
    h = createHarness({ config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
    expect(await tryTokens(31, { 'x-forwarded-for': '203.0.113.7' })).toEqual([...Array(30).fill(400), 429]);
    expect(await tryTokens(1, { 'x-forwarded-for': '198.51.100.2' })).toEqual([400]);
    await h.close();

    h = createHarness();
    await tryTokens(30, { 'x-forwarded-for': '203.0.113.7' });
    expect(await tryTokens(1, { 'x-forwarded-for': '198.51.100.2' })).toEqual([429]);
  });
});
