import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, type RateDecision } from '../../server/auth/rate-limit.js';
import { TestClock } from './helpers.js';

const MINUTE = 60_000;


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
