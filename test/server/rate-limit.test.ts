import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, type RateDecision } from '../../server/auth/rate-limit.js';
import { TestClock } from './helpers.js';

const MINUTE = 60_000;

/** The seconds to wait from a refusal, or undefined when the decision let the event through. */
async function retryAfter(decision: Promise<RateDecision>): Promise<string | undefined> {
  const d = await decision;
  return d.allowed ? undefined : String(d.retryAfterS);
}

describe('RateLimiter', () => {
  it('allows max attempts per window, then refuses with the seconds left until the window resets', async () => {
    const clock = new TestClock();
    const limiter = new MemoryRateLimiter({ max: 3, windowMs: MINUTE }, clock);
    for (let i = 0; i < 3; i++) expect(await retryAfter(limiter.hit('a'))).toBeUndefined();
    expect(await retryAfter(limiter.hit('a'))).toBe('60');
    clock.advance(20_500);
    expect(await retryAfter(limiter.hit('a'))).toBe('40');
    expect(await retryAfter(limiter.hit('b'))).toBeUndefined();
    clock.advance(39_499);
    expect(await retryAfter(limiter.hit('a'))).toBe('1');
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
    expect(await retryAfter(limiter.check('a'))).toBe('60');
  });
});

