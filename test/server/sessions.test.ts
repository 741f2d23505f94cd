import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../server/auth/tokens.js';
import { expectError, median, sessionCookie, sessionSetCookie } from './expect.js';
import { createHarness, type Harness, ORIGIN, testConfig } from './helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PASSWORD = 'correct horse battery';

let h: Harness;
afterEach(() => h?.close());

const signIn = (email: string, password: string, headers?: Record<string, string>) => h.call('POST', '/api/signin', { email, password }, headers);
/** GET /api/session with exactly this cookie, outside the harness's jar. */
const sessionWith = (cookie: string) => h.app.request('/api/session', { headers: { cookie } });
const cookieValue = (cookie: string) => cookie.slice('perso_session='.length);

describe('POST /api/signin', () => {
  it('answers 200 {user} and a session cookie', async () => {
    h = createHarness();
    const { id } = await h.signUpVerified('ada@example.com', PASSWORD);
    h.cookie = undefined;
    h.clock.advance(HOUR);
    const response = await signIn('Ada@Example.com', PASSWORD);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      user: { id, email: 'ada@example.com', emailVerified: true, organizationId: 'default', createdAt: new Date(h.clock.ms - HOUR).toISOString() },
    });
    const cookie = sessionCookie(response);
    expect(await h.store.findSession(sha256Hex(cookieValue(cookie)))).toMatchObject({ userId: id, createdAt: h.clock.ms, lastSeenAt: h.clock.ms });
    expect((await sessionWith(cookie)).status).toBe(200);
  });

  it('issues a new session id at every sign-in and ends the one the browser held', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com', PASSWORD);
    const fromVerification = h.cookie!;
    const first = sessionCookie(await signIn('ada@example.com', PASSWORD));
    const second = sessionCookie(await signIn('ada@example.com', PASSWORD));
    expect(new Set([fromVerification, first, second]).size).toBe(3);
    // Each sign-in was sent with the previous cookie, which is now dead server-side.
    await expectError(await sessionWith(fromVerification), 401, 'unauthenticated');
    await expectError(await sessionWith(first), 401, 'unauthenticated');
    expect((await sessionWith(second)).status).toBe(200);

    // A sign-in from another browser does not end this one.
    const elsewhere = await h.app.request('/api/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: PASSWORD }),
    });
    expect(elsewhere.status).toBe(200);
    expect((await sessionWith(second)).status).toBe(200);
    expect((await sessionWith(sessionCookie(elsewhere))).status).toBe(200);
  });

  it('answers an unknown email and a wrong password with the same 401', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com', PASSWORD);
    h.cookie = undefined;
    const unknown = await signIn('nobody@example.com', PASSWORD);
    const wrong = await signIn('ada@example.com', 'not the password');
    expect(sessionSetCookie(unknown)).toBeUndefined();
    expect(sessionSetCookie(wrong)).toBeUndefined();
    const unknownText = await unknown.clone().text();
    expect(await wrong.clone().text()).toBe(unknownText);
    await expectError(unknown, 401, 'invalid_credentials');
    await expectError(wrong, 401, 'invalid_credentials');
  });

  it('says email_not_verified only after the right password', async () => {
    h = createHarness();
    await h.call('POST', '/api/signup', { email: 'ada@example.com', password: PASSWORD });
    await expectError(await signIn('ada@example.com', 'not the password'), 401, 'invalid_credentials');
    const right = await signIn('ada@example.com', PASSWORD);
    await expectError(right, 403, 'email_not_verified');
    expect(sessionSetCookie(right)).toBeUndefined();
  });

  it('answers 422 for missing or malformed fields', async () => {
    h = createHarness();
    await expectError(await h.call('POST', '/api/signin', {}), 422, 'validation_failed', ['email', 'password']);
    await expectError(await signIn('nope', PASSWORD), 422, 'validation_failed', ['email']);
    await expectError(await signIn('ada@example.com', ''), 422, 'validation_failed', ['password']);
  });

  it('takes as long for an unknown email as for a wrong password', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com', PASSWORD);
    h.cookie = undefined;
    const time = async (email: string, password: string) => {
      const started = performance.now();
      const response = await signIn(email, password);
      const elapsed = performance.now() - started;
      expect(response.status).toBe(401);
      return elapsed;
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    await time('warm-up@example.com', 'wrong password');
    // Four wrong passwords: the fifth from one client for one email would be refused.
    for (let i = 0; i < 4; i++) {
      unknown.push(await time(`nobody${i}@example.com`, 'wrong password'));
      wrong.push(await time('ada@example.com', `wrong password ${i}`));
    }
    const ratio = median(unknown) / median(wrong);
    // Both run one argon2id verify (≈20–50 ms); without the decoy an unknown email answers in ~1 ms.
    expect(median(wrong)).toBeGreaterThan(5);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('POST /api/signout', () => {
  it('answers 204, deletes the session server-side and clears the cookie', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com', PASSWORD);
    const cookie = h.cookie!;
    const response = await h.call('POST', '/api/signout');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(sessionSetCookie(response)).toMatch(/^perso_session=;.*Max-Age=0/);
    expect(await h.store.findSession(sha256Hex(cookieValue(cookie)))).toBeUndefined();
    // Replaying the old value, as a thief holding the cookie would, finds nothing.
    await expectError(await sessionWith(cookie), 401, 'unauthenticated');
  });

  it('answers 204 without a session too', async () => {
    h = createHarness();
    expect((await h.call('POST', '/api/signout')).status).toBe(204);
    expect((await h.app.request('/api/signout', { method: 'POST', headers: { cookie: 'perso_session=forged' } })).status).toBe(403);
    expect((await h.call('POST', '/api/signout', undefined, { cookie: 'perso_session=forged' })).status).toBe(204);
  });
});

describe('GET /api/session', () => {
  it('answers 401 unauthenticated without a session or with an unknown one', async () => {
    h = createHarness();
    await expectError(await h.call('GET', '/api/session'), 401, 'unauthenticated');
    await expectError(await sessionWith('perso_session=forged'), 401, 'unauthenticated');
    await expectError(await sessionWith('perso_session='), 401, 'unauthenticated');
  });
});

describe('session lifetimes', () => {
  it('ends a session left idle for PERSO_SESSION_IDLE_HOURS, and activity keeps it alive', async () => {
    h = createHarness({ config: testConfig({ PERSO_SESSION_IDLE_HOURS: '24' }) });
    await h.signUpVerified('ada@example.com', PASSWORD);
    const cookie = h.cookie!;
    for (let i = 0; i < 3; i++) {
      h.clock.advance(DAY - 1);
      expect((await sessionWith(cookie)).status, `visit ${i}`).toBe(200);
    }
    h.clock.advance(DAY);
    await expectError(await sessionWith(cookie), 401, 'unauthenticated');
    expect(await h.store.findSession(sha256Hex(cookieValue(cookie)))).toBeUndefined();
  });

  it('does not write on every read, yet counts a read within the minute as activity', async () => {
    h = createHarness({ config: testConfig({ PERSO_SESSION_IDLE_HOURS: '1' }) });
    await h.signUpVerified('ada@example.com', PASSWORD);
    const idHash = sha256Hex(cookieValue(h.cookie!));
    const started = h.clock.ms;
    h.clock.advance(30_000);
    await h.call('GET', '/api/session');
    expect((await h.store.findSession(idHash))!.lastSeenAt).toBe(started);
    h.clock.advance(30_000);
    await h.call('GET', '/api/session');
    expect((await h.store.findSession(idHash))!.lastSeenAt).toBe(started + MINUTE);
  });

  it('ends a session after PERSO_SESSION_DAYS however active it is', async () => {
    h = createHarness({ config: testConfig({ PERSO_SESSION_DAYS: '2', PERSO_SESSION_IDLE_HOURS: '24' }) });
    const signedInAt = h.clock.ms;
    await h.signUpVerified('ada@example.com', PASSWORD);
    const cookie = h.cookie!;
    expect(sessionSetCookie(await signIn('ada@example.com', PASSWORD))).toBeDefined();
    const current = h.cookie!;
    expect(current).not.toBe(cookie);
    while (h.clock.ms < signedInAt + 2 * DAY - 20 * HOUR) {
      h.clock.advance(20 * HOUR);
      expect((await sessionWith(current)).status).toBe(200);
    }
    h.clock.ms = signedInAt + 2 * DAY - 1;
    expect((await sessionWith(current)).status).toBe(200);
    h.clock.advance(1);
    await expectError(await sessionWith(current), 401, 'unauthenticated');
  });

  it('gives the cookie the absolute lifetime as its expiry', async () => {
    h = createHarness();
    await h.call('POST', '/api/signup', { email: 'ada@example.com', password: PASSWORD });
    const response = await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') });
    const expires = /Expires=([^;]+)/.exec(sessionSetCookie(response)!)?.[1];
    expect(Date.parse(expires!)).toBe(Math.floor((h.clock.ms + 30 * DAY) / 1000) * 1000);
  });
});

describe('session cookie attributes', () => {
  const attributes = async (env: Record<string, string>, origin: string) => {
    h = createHarness({ config: testConfig(env) });
    await h.call('POST', '/api/signup', { email: 'ada@example.com', password: PASSWORD }, { origin });
    const response = await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') }, { origin });
    expect(response.status).toBe(200);
    const [pair, ...rest] = sessionSetCookie(response)!.split(/;\s*/);
    expect(pair).toMatch(/^perso_session=[\w-]{43}$/);
    return rest.filter((a) => !a.startsWith('Expires=')).sort();
  };

  it('is HttpOnly, SameSite=Lax, Path=/ and not Secure over http', async () => {
    expect(await attributes({}, ORIGIN)).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax']);
  });

  it('is Secure when PERSO_PUBLIC_URL is https', async () => {
    expect(await attributes({ PERSO_PUBLIC_URL: 'https://auth.example.com' }, 'https://auth.example.com')).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']);
  });

  it('is SameSite=None; Secure; Partitioned with PERSO_CROSS_SITE_COOKIES=true, and so is perso_signup', async () => {
    const env = { PERSO_PUBLIC_URL: 'https://auth.example.com', PERSO_CROSS_SITE_COOKIES: 'true', PERSO_ORIGINS: 'https://shop.example.net' };
    expect(await attributes(env, 'https://shop.example.net')).toEqual(['HttpOnly', 'Partitioned', 'Path=/', 'SameSite=None', 'Secure']);
    const signup = await h.call('POST', '/api/signup', { email: 'grace@example.com', password: PASSWORD }, { origin: 'https://shop.example.net' });
    const binding = signup.headers.getSetCookie().find((c) => c.startsWith('perso_signup='))!;
    expect(binding.split(/;\s*/).slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=86400', 'Partitioned', 'Path=/', 'SameSite=None', 'Secure']);
  });
});
