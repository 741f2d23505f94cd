import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../server/auth/rate-limit.js';
import { AppError } from '../../server/errors.js';
import { expectError } from './expect.js';
import { createHarness, type Harness, TestClock, testConfig } from './helpers.js';

const MINUTE = 60_000;
const PASSWORD = 'correct horse battery';

let h: Harness;
afterEach(() => h?.close());

/** The Retry-After of a 429 from `hit`, or undefined when it let the attempt through. */
function retryAfter(attempt: () => void): string | undefined {
  try {
    attempt();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(429);
    return (error as AppError).headers['Retry-After'];
  }
}

describe('RateLimiter', () => {
  it('allows max attempts per window, then 429 with the seconds left until the window resets', () => {
    const clock = new TestClock();
    const limiter = new RateLimiter({ max: 3, windowMs: MINUTE }, clock);
    expect([1, 2, 3].map(() => retryAfter(() => limiter.hit('a')))).toEqual([undefined, undefined, undefined]);
    expect(retryAfter(() => limiter.hit('a'))).toBe('60');
    clock.advance(20_500);
    expect(retryAfter(() => limiter.hit('a'))).toBe('40');
    expect(retryAfter(() => limiter.hit('b'))).toBeUndefined();
    clock.advance(39_499);
    expect(retryAfter(() => limiter.hit('a'))).toBe('1');
    clock.advance(1);
    expect(retryAfter(() => limiter.hit('a'))).toBeUndefined();
  });

  it('check() refuses a full window without counting an attempt', () => {
    const clock = new TestClock();
    const limiter = new RateLimiter({ max: 2, windowMs: MINUTE }, clock);
    for (let i = 0; i < 10; i++) expect(retryAfter(() => limiter.check('a'))).toBeUndefined();
    limiter.hit('a');
    expect(retryAfter(() => limiter.check('a'))).toBeUndefined();
    limiter.hit('a');
    expect(retryAfter(() => limiter.check('a'))).toBe('60');
  });
});

describe('sign-in rate limits', () => {
  it('meets a burst of 40 wrong passwords for one email with 429 and Retry-After', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com', PASSWORD);
    h.cookie = undefined;
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 40; i++) {
      const response = await h.call('POST', '/api/signin', { email: 'ada@example.com', password: `guess ${i}` });
      statuses.push(response.status);
      if (response.status === 429) limited ??= response;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(30).fill(429));
    expect(limited!.headers.get('retry-after')).toBe('900');
    await expectError(limited!, 429, 'rate_limited');

    // The right password gets no different answer while the window is full…
    await expectError(await h.call('POST', '/api/signin', { email: 'ADA@example.com', password: PASSWORD }), 429, 'rate_limited');
    // …another account is not locked by it…
    await h.call('POST', '/api/signup', { email: 'grace@example.com', password: PASSWORD });
    await h.call('POST', '/api/verify-email', { token: h.lastToken('grace@example.com') });
    h.cookie = undefined;
    expect((await h.call('POST', '/api/signin', { email: 'grace@example.com', password: PASSWORD })).status).toBe(200);
    // …and the window ends.
    h.clock.advance(15 * MINUTE);
    h.cookie = undefined;
    expect((await h.call('POST', '/api/signin', { email: 'ada@example.com', password: PASSWORD })).status).toBe(200);
  });
});

describe('sign-up and verification rate limits', () => {
  it('limits sign-ups per email to 5 an hour', async () => {
    h = createHarness();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await h.call('POST', '/api/signup', { email: 'ada@example.com', password: PASSWORD })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    expect(h.outbox.messages).toHaveLength(5);
  });

  it('limits verification attempts per address, telling addresses apart only behind a trusted proxy', async () => {
    const tryTokens = async (count: number, headers: Record<string, string> = {}) => {
      const statuses: number[] = [];
      for (let i = 0; i < count; i++) statuses.push((await h.call('POST', '/api/verify-email', { token: `guess-${i}` }, headers)).status);
      return statuses;
    };
    h = createHarness({ config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
    expect(await tryTokens(31, { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' })).toEqual([...Array(30).fill(400), 429]);
    expect(await tryTokens(1, { 'x-forwarded-for': '203.0.113.7' })).toEqual([429]);
    expect(await tryTokens(1, { 'x-forwarded-for': '198.51.100.2' })).toEqual([400]);
    // The link page shows the limit as a page, with Retry-After.
    const page = await h.app.request('/verify-email?token=guess', { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toBe('900');
    expect(await page.text()).toContain('Too many attempts');
    await h.close();

    // Without PERSO_TRUST_PROXY a client cannot dodge the limit by inventing X-Forwarded-For.
    h = createHarness();
    await tryTokens(30, { 'x-forwarded-for': '203.0.113.7' });
    expect(await tryTokens(1, { 'x-forwarded-for': '198.51.100.2' })).toEqual([429]);
  });
});
