import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimiter, type RateDecision } from '../../server/auth/rate-limit.js';
import { expectError } from './expect.js';
import { createHarness, type Harness, TestClock, testConfig } from './helpers.js';

const MINUTE = 60_000;
const PASSWORD = 'correct horse battery';

let h: Harness;
afterEach(() => h?.close());

/** The Retry-After of a refused decision, or undefined when it let the attempt through. */
async function retryAfter(decision: Promise<RateDecision>): Promise<number | undefined> {
  const { allowed, retryAfterS } = await decision;
  return allowed ? undefined : retryAfterS;
}

describe('MemoryRateLimiter', () => {
  it('allows max attempts per window, then refuses with the seconds left until the window resets', async () => {
    const clock = new TestClock();
    const limiter = new MemoryRateLimiter({ max: 3, windowMs: MINUTE }, clock);
    const first = [];
    for (let i = 0; i < 3; i++) first.push(await retryAfter(limiter.hit('a')));
    expect(first).toEqual([undefined, undefined, undefined]);
    expect(await retryAfter(limiter.hit('a'))).toBe(60);
    clock.advance(20_500);
    expect(await retryAfter(limiter.hit('a'))).toBe(40);
    expect(await retryAfter(limiter.hit('b'))).toBeUndefined();
    clock.advance(39_499);
    expect(await retryAfter(limiter.hit('a'))).toBe(1);
    clock.advance(1);
    expect(await retryAfter(limiter.hit('a'))).toBeUndefined();
  });

  it('check() refuses a full window without counting an attempt', async () => {
    const clock = new TestClock();
    const limiter = new MemoryRateLimiter({ max: 2, windowMs: MINUTE }, clock);
    for (let i = 0; i < 10; i++) expect(await retryAfter(limiter.check('a'))).toBeUndefined();
    await limiter.hit('a');
    expect(await retryAfter(limiter.check('a'))).toBeUndefined();
    await limiter.hit('a');
    expect(await retryAfter(limiter.check('a'))).toBe(60);
  });

  it('holds at most maxEntries windows under 10^6 distinct keys, dropping the oldest first', async () => {
    const clock = new TestClock();
    const limiter = new MemoryRateLimiter({ max: 1, windowMs: MINUTE }, clock, { maxEntries: 10_000 });
    await limiter.hit('oldest');
    await limiter.hit('oldest'); // refused from now on, while its window is held
    let largest = 0;
    for (let i = 0; i < 1_000_000; i++) {
      await limiter.hit(`key ${i}`);
      largest = Math.max(largest, limiter.size);
      if (i === 9_000) expect(await retryAfter(limiter.check('oldest'))).toBe(60);
    }
    expect(largest).toBe(10_000);
    // Evicted, so counted afresh; the newest windows are still held and still refuse.
    expect(await retryAfter(limiter.check('oldest'))).toBeUndefined();
    expect(await retryAfter(limiter.hit('key 999999'))).toBe(60);
  });

  it('removes expired windows as new ones open, without waiting for the cap', async () => {
    const clock = new TestClock();
    const limiter = new MemoryRateLimiter({ max: 5, windowMs: MINUTE }, clock);
    for (let i = 0; i < 1_000; i++) await limiter.hit(`early ${i}`);
    clock.advance(MINUTE);
    for (let i = 0; i < 1_000; i++) await limiter.hit(`late ${i}`);
    expect(limiter.size).toBe(1_000);
  });

  it('stores a key at a fixed size: 8 KB keys take no more memory than short ones', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heapAfter = async (keyOf: (i: number) => string) => {
      const limiter = new MemoryRateLimiter({ max: 5, windowMs: MINUTE }, new TestClock());
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 20_000; i++) await limiter.hit(keyOf(i));
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      expect(limiter.size).toBe(20_000);
      return grown;
    };
    const padding = 'x'.repeat(8 * 1024);
    const short = await heapAfter((i) => `203.0.113.${i}`);
    const long = await heapAfter((i) => `${padding}${i}`);
    // Kept as given, the long keys alone would hold 20,000 × 8 KiB = 160 MiB.
    expect(long).toBeLessThan(short * 1.5 + 1024 * 1024);
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
    // As served by @hono/node-server: the socket is the proxy, which appends the client it saw.
    const viaProxy = (forwardedFor: string) => ({ incoming: { socket: { remoteAddress: '10.0.0.1' }, headers: { 'x-forwarded-for': forwardedFor } } });
    const tryTokens = async (count: number, forwardedFor: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < count; i++) {
        const init = { method: 'POST', headers: { origin: 'http://localhost:8787', 'content-type': 'application/json' }, body: JSON.stringify({ token: `guess-${i}` }) };
        statuses.push((await h.app.request('/api/verify-email', init, viaProxy(forwardedFor))).status);
      }
      return statuses;
    };
    h = createHarness({ config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
    // The left entry is whatever the client wrote; the proxy's own entry is the right-most.
    expect(await tryTokens(31, '198.51.100.2, 203.0.113.7')).toEqual([...Array(30).fill(400), 429]);
    expect(await tryTokens(1, '203.0.113.7')).toEqual([429]);
    expect(await tryTokens(1, '203.0.113.7, 198.51.100.2')).toEqual([400]);
    // The link page shows the limit as a page, with Retry-After.
    const page = await h.app.request('/verify-email?token=guess', {}, viaProxy('203.0.113.7'));
    expect(page.status).toBe(429);
    expect(page.headers.get('retry-after')).toBe('900');
    expect(await page.text()).toContain('Too many attempts');
    await h.close();

    // Without PERSO_TRUST_PROXY a client cannot dodge the limit by inventing X-Forwarded-For.
    h = createHarness();
    await tryTokens(30, '203.0.113.7');
    expect(await tryTokens(1, '198.51.100.2')).toEqual([429]);
  });
});
