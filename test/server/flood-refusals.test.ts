import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountError } from '../../server/accounts/errors.js';
import { HashingBusyError } from '../../server/auth/passwords.js';
import { createRateLimits, EVERYONE, MemoryRateLimiter } from '../../server/auth/rate-limit.js';
import { AppError, errorMessages } from '../../server/errors.js';
import { floodGate, Tarpit } from '../../server/http/flood-gate.js';
import { onError } from '../../server/http.js';
import { expectError } from './expect.js';
import { createHarness, type Harness, ORIGIN, TestClock } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

const signInInit = (email: string) => ({
  method: 'POST',
  headers: { origin: ORIGIN, 'content-type': 'application/json' },
  body: JSON.stringify({ email, password: 'wrong password' }),
});
const node = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress }, headers: {} } });

/** What the app sent for these refusals before they were pre-serialised: `c.json` of an `AppError`. */
function answeredTheOldWay(status: 429 | 503, retryAfterS: number): Promise<Response> {
  const app = new Hono().get('/', (c) => {
    const error = new AppError(status, status === 429 ? 'rate_limited' : 'busy');
    return c.json(error.toBody(), status, { 'Retry-After': String(retryAfterS) });
  });
  return Promise.resolve(app.request('/'));
}

const wire = async (response: Response) => ({ status: response.status, headers: [...response.headers.entries()].sort(), body: await response.text() });

/** A bare app: the gate in front of a sign-in route that counts what reaches it. */
function gated(options: { max?: number; fullFor?: () => number; tarpit?: Tarpit; route?: () => never }) {
  const clock = new TestClock();
  const signInGlobal = new MemoryRateLimiter({ max: options.max ?? 100, windowMs: 1000 }, clock);
  const signUpGlobal = new MemoryRateLimiter({ max: options.max ?? 100, windowMs: 1000 }, clock);
  const reached: string[] = [];
  const app = new Hono()
    .use('*', floodGate({ signInGlobal, signUpGlobal, hashingFullFor: options.fullFor ?? (() => 0), tarpit: options.tarpit ?? new Tarpit(0) }))
    .post('/api/signin', async (c) => {
      reached.push(await c.req.text());
      if (options.route) options.route();
      return c.json({ ok: true }, 200);
    })
    .post('/api/signup', (c) => c.json({ ok: true }, 202))
    .post('/api/other', (c) => c.json({ ok: true }, 200));
  app.onError(onError(() => {}));
  return { app, reached, signInGlobal, signUpGlobal };
}

describe('sign-ins and sign-ups refused before their body is read', () => {
  it('while everyone’s per-second budget is spent: 429, the contract’s bytes, and the body never parsed', async () => {
    h = createHarness({ limits: (clock) => ({ ...createRateLimits(clock), signInGlobal: new MemoryRateLimiter({ max: 2, windowMs: 1000 }, clock) }) });
    expect((await h.app.request('/api/signin', signInInit('a@example.com'), node('192.0.2.1'))).status).toBe(401);
    expect((await h.app.request('/api/signin', signInInit('b@example.com'), node('192.0.2.2'))).status).toBe(401);
    const before = await h.databaseSnapshot();
    const parse = vi.spyOn(JSON, 'parse');
    const init = signInInit('c@example.com');
    const refused = await h.app.request('/api/signin', init, node('192.0.2.3'));
    expect(parse.mock.calls.filter(([text]) => text === init.body)).toEqual([]);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const wanted = await wire(await answeredTheOldWay(429, retryAfter));
    const got = await wire(refused.clone());
    expect(got.body).toBe(wanted.body);
    for (const [name, value] of wanted.headers) expect(got.headers).toContainEqual([name, value]);
    await expectError(refused, 429, 'rate_limited');
    // The route's own after-work still ran: security headers and no-store.
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await h.databaseSnapshot()).toBe(before);
    // The budget opens again with the next second.
    h.clock.advance(1000);
    expect((await h.app.request('/api/signin', signInInit('c@example.com'), node('192.0.2.3'))).status).toBe(401);
  });

  it('while the hashing queue is full: 503 busy with its Retry-After, the route never reached', async () => {
    const { app, reached } = gated({ fullFor: () => 3 });
    const refused = await app.request('/api/signin', { method: 'POST', body: '{"email":"a@example.com","password":"x"}' });
    expect(refused.headers.get('retry-after')).toBe('3');
    const wanted = await wire(await answeredTheOldWay(503, 3));
    expect((await wire(refused.clone())).body).toBe(wanted.body);
    expect(refused.headers.get('content-type')).toBe(wanted.headers.find(([name]) => name === 'content-type')![1]);
    await expectError(refused, 503, 'busy');
    expect(reached).toEqual([]);
  });

  it('reads the budget without counting: the rules further on count, and other routes and methods pass untouched', async () => {
    const { app, reached, signInGlobal, signUpGlobal } = gated({ max: 1 });
    expect((await app.request('/api/signin', { method: 'POST', body: 'first' })).status).toBe(200);
    // The route did not count it (this bare one does not): the budget is still open.
    expect((await signInGlobal.check(EVERYONE)).allowed).toBe(true);
    await signInGlobal.hit(EVERYONE);
    expect((await app.request('/api/signin', { method: 'POST', body: 'second' })).status).toBe(429);
    expect(reached).toEqual(['first']);
    expect((await app.request('/api/signup', { method: 'POST', body: '{}' })).status).toBe(202);
    await signUpGlobal.hit(EVERYONE);
    expect((await app.request('/api/signup', { method: 'POST', body: '{}' })).status).toBe(429);
    expect((await app.request('/api/other', { method: 'POST', body: '{}' })).status).toBe(200);
    expect((await app.request('/api/signin')).status).toBe(404);
  });

  it('answers the rules’ own 429 and 503 with the same bytes as before', async () => {
    for (const [error, status, retryAfterS] of [
      [new AccountError('rate_limited', { retryAfterS: 7 }), 429, 7],
      [new HashingBusyError(2), 503, 2],
    ] as const) {
      const { app } = gated({
        route: () => {
          throw error;
        },
      });
      const response = await app.request('/api/signin', { method: 'POST', body: '{}' });
      const wanted = await wire(await answeredTheOldWay(status, retryAfterS));
      expect(await wire(response)).toEqual(wanted);
    }
    expect(errorMessages.busy).toMatch(/busy/);
  });
});

describe('the tarpit', () => {
  it('holds refusals for its delay, on a timer, and answers everything else at once', async () => {
    vi.useFakeTimers();
    const { app, signInGlobal } = gated({ max: 1, tarpit: new Tarpit(1000, 10) });
    await signInGlobal.hit(EVERYONE);
    let settled = false;
    const refused = Promise.resolve(app.request('/api/signin', { method: 'POST', body: '{}' })).then((r) => {
      settled = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await refused).status).toBe(429);
    // Not a refusal: never held (this would hang under fake timers if it were).
    expect((await app.request('/api/other', { method: 'POST', body: '{}' })).status).toBe(200);
  });

  it('holds the rules’ own refusals too, but not their other answers', async () => {
    vi.useFakeTimers();
    const tarpit = new Tarpit(1000, 10);
    const { app } = gated({
      tarpit,
      route: () => {
        throw new AccountError('rate_limited', { retryAfterS: 60 });
      },
    });
    const refused = Promise.resolve(app.request('/api/signin', { method: 'POST', body: '{}' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(tarpit.held).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await refused).status).toBe(429);
    expect(tarpit.held).toBe(0);

    const { app: wrong } = gated({
      tarpit,
      route: () => {
        throw new AccountError('invalid_credentials');
      },
    });
    expect((await wrong.request('/api/signin', { method: 'POST', body: '{}' })).status).toBe(401);
    expect(tarpit.held).toBe(0);
  });

  it('holds at most maxHeld at once; past that, refusals leave at once', async () => {
    vi.useFakeTimers();
    const tarpit = new Tarpit(1000, 3);
    const { app, signInGlobal } = gated({ max: 1, tarpit });
    await signInGlobal.hit(EVERYONE);
    const held = Array.from({ length: 3 }, () => Promise.resolve(app.request('/api/signin', { method: 'POST', body: '{}' })));
    await vi.advanceTimersByTimeAsync(0);
    expect(tarpit.held).toBe(3);
    // The fourth is answered without any timer firing.
    expect((await app.request('/api/signin', { method: 'POST', body: '{}' })).status).toBe(429);
    expect(tarpit.held).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([429, 429, 429]);
    expect(tarpit.held).toBe(0);
  });
});
