import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../server/app.js';
import { HASHING_CONCURRENCY, HASHING_QUEUE } from '../../server/auth/hashing-limits.js';
import { createRateLimits, MemoryRateLimiter } from '../../server/auth/rate-limit.js';
import { Tarpit } from '../../server/http/flood-gate.js';
import { DevOutbox } from '../../server/mail/dev-outbox.js';
import { expectError } from './expect.js';
import { createHarness, type Harness, ORIGIN, TestClock, testConfig } from './helpers.js';

let h: Harness;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
});

/** As @hono/node-server serves a request: the socket's peer and Node's parsed headers. */
const node = (remoteAddress: string, headers: Record<string, string> = {}) => ({ incoming: { socket: { remoteAddress }, headers } });

describe('the password hashing budget', () => {
  it('answers 503 busy with Retry-After at once when the queue is full, and every sign-in gets an answer', async () => {
    // Only the hashing budget may refuse here: the global sign-in budget is lifted, and refusals
    // are not held (the tarpit has its own tests), so "at once" is the refusal's own time.
    h = createHarness();
    const clock = new TestClock();
    const app = createApp({
      store: h.store,
      mailer: new DevOutbox(clock.now, () => {}),
      config: h.config,
      clock,
      limits: { ...createRateLimits(clock), signInGlobal: new MemoryRateLimiter({ max: 1e6, windowMs: 1000 }, clock) },
      tarpit: new Tarpit(0),
      log: () => {},
    });
    const count = HASHING_CONCURRENCY + HASHING_QUEUE + 20;
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const init = { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ email: `flood${i}@example.com`, password: 'wrong password' }) };
        const response = await app.request('/api/signin', init, node(`198.51.100.${i % 250}`));
        return { response, ms: performance.now() - started, text: await response.clone().text() };
      }),
    );
    const busy = answers.filter((a) => a.response.status === 503);
    const others = answers.filter((a) => a.response.status !== 503);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect(others.map((a) => a.response.status)).toEqual(others.map(() => 401));
    expect(others.length).toBeGreaterThanOrEqual(HASHING_CONCURRENCY + HASHING_QUEUE);
    for (const a of busy) {
      expect(Number(a.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await expectError(a.response, 503, 'busy');
    }
    // Refused without waiting for the hashes ahead of them.
    expect(Math.max(...busy.map((a) => a.ms))).toBeLessThan(Math.max(...others.map((a) => a.ms)));
  });

  it('limits sign-ins of everyone together per second before any hash is queued', async () => {
    h = createHarness();
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) {
      const init = { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ email: `many${i}@example.com`, password: 'wrong password' }) };
      statuses.push((await h.app.request('/api/signin', init, node(`203.0.113.${i % 250}`))).status);
    }
    expect(statuses.slice(0, 100)).toEqual(Array(100).fill(401));
    expect(statuses[100]).toBe(429);
    h.clock.advance(1000);
    const init = { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'later@example.com', password: 'wrong password' }) };
    expect((await h.app.request('/api/signin', init, node('192.0.2.1'))).status).toBe(401);
    // 200 password hashes one at a time: seconds on a quiet machine, more beside other suites.
  }, 60_000);
});

describe('request bodies', () => {
  it('are parsed once, not again for the route’s validator', async () => {
    h = createHarness();
    await h.signUpVerified();
    const body = JSON.stringify({ name: 'parsed once' });
    const parse = vi.spyOn(JSON, 'parse');
    expect((await h.call('POST', '/api/keys', body)).status).toBe(201);
    expect(parse.mock.calls.filter(([text]) => text === body)).toHaveLength(1);
  });
});

describe('request bodies served by Node', () => {
  it('are read straight from Node when sized by Content-Length, with the same 413, 415 and 400 answers', async () => {
    h = createHarness();
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/signin`;
    const post = (body: string | ReadableStream, type = 'application/json') =>
      fetch(url, { method: 'POST', headers: { origin: ORIGIN, 'content-type': type }, body, duplex: 'half' } as RequestInit);
    try {
      await expectError(await post(JSON.stringify({ email: 'ada@example.com', password: 'wrong password' })), 401, 'invalid_credentials');
      await expectError(await post(JSON.stringify({ email: 'ada@example.com' })), 422, 'validation_failed', ['password']);
      await expectError(await post('{"email":'), 400, 'invalid_json');
      await expectError(await post('{}', 'text/plain'), 415, 'unsupported_media_type');
      await expectError(await post(`{"email":"${'a'.repeat(70 * 1024)}"}`), 413, 'payload_too_large');
      // Without a Content-Length (chunked), the size is counted as the body is read.
      const chunked = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(`{"x":"${'a'.repeat(70 * 1024)}"}`)), c.close()) });
      await expectError(await post(chunked), 413, 'payload_too_large');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('two perso_session cookies in one request', () => {
  it('count as none, even when one of them is valid', async () => {
    h = createHarness();
    await h.signUpVerified();
    const valid = h.cookie!;
    const session = (cookie: string) => h.app.request('/api/session', { headers: { cookie } });
    expect((await session(valid)).status).toBe(200);
    expect((await session(`theme=dark; ${valid}`)).status).toBe(200);
    await expectError(await session(`${valid}; perso_session=planted-by-a-sibling-subdomain`), 401, 'unauthenticated');
    await expectError(await session(`perso_session=planted; theme=dark; ${valid}`), 401, 'unauthenticated');
    await expectError(await session(`${valid}; ${valid}`), 401, 'unauthenticated');
    // Sign-out with both ends nothing: the real session still works.
    const signout = await h.app.request('/api/signout', { method: 'POST', headers: { origin: ORIGIN, cookie: `${valid}; perso_session=x` } });
    expect(signout.status).toBe(204);
    expect((await session(valid)).status).toBe(200);
  });
});

describe('the dev outbox (API.md §1)', () => {
  it('is served only on a loopback public URL unless PERSO_DEV_OUTBOX=true', async () => {
    h = createHarness({ config: testConfig({ PERSO_PUBLIC_URL: 'https://perso.example.com' }) });
    await expectError(await h.app.request('/api/dev/outbox'), 404, 'not_found');
    expect((await h.app.request('/dev/mailbox')).status).toBe(404);
    await h.close();
    h = createHarness({ config: testConfig({ PERSO_PUBLIC_URL: 'https://perso.example.com', PERSO_DEV_OUTBOX: 'true' }) });
    expect((await h.app.request('/api/dev/outbox', {}, node('127.0.0.1', { host: 'perso.example.com' }))).status).toBe(200);
  });

  it('while on, refuses requests addressed to any host but the public one and loopback (DNS rebinding)', async () => {
    h = createHarness();
    const to = (host: string, path = '/api/dev/outbox') => h.app.request(path, {}, node('127.0.0.1', { host }));
    for (const host of ['localhost:8787', '127.0.0.1:8787', '[::1]:8787', 'LOCALHOST', '127.0.0.1:3000']) expect([host, (await to(host)).status]).toEqual([host, 200]);
    for (const host of ['attacker.example', 'attacker.example:8787', 'localhost.attacker.example', '127.0.0.1.nip.io']) {
      await expectError(await to(host), 403, 'host_not_allowed');
      await expectError(await to(host, '/api/session'), 403, 'host_not_allowed');
    }
  });

  it('while off, leaves the Host alone', async () => {
    h = createHarness({ config: testConfig({ PERSO_PUBLIC_URL: 'https://perso.example.com' }) });
    expect((await h.app.request('/health', {}, node('10.0.0.1', { host: 'internal-name:8787' }))).status).toBe(200);
  });
});

describe('the kit files', () => {
  it('are read once at start and sent with an ETag, 304 when current, and Cross-Origin-Resource-Policy: cross-origin', async () => {
    const root = mkdtempSync(join(tmpdir(), 'perso-kit-'));
    try {
      const demoDir = join(root, 'demo');
      const distDir = join(root, 'dist');
      mkdirSync(demoDir);
      mkdirSync(distDir);
      writeFileSync(join(demoDir, 'index.html'), '<!doctype html><title>demo</title>');
      writeFileSync(join(distDir, 'perso-kit.js'), 'export const version = 1;');
      const clock = new TestClock();
      const outbox = new DevOutbox(clock.now, () => {});
      h = createHarness();
      const app = createApp({ store: h.store, mailer: outbox, config: h.config, clock, demoRoot: { demoDir, distDir }, log: () => {} });

      const first = await app.request('/kit/perso-kit.js');
      expect(first.status).toBe(200);
      expect(await first.text()).toBe('export const version = 1;');
      expect(first.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(first.headers.get('access-control-allow-origin')).toBe('*');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{27}"$/);

      const again = await app.request('/kit/perso-kit.js', { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');

      // Served from memory: a change on disk shows only after a restart.
      writeFileSync(join(distDir, 'perso-kit.js'), 'export const version = 2;');
      expect(await (await app.request('/kit/perso-kit.js')).text()).toBe('export const version = 1;');

      expect((await app.request('/')).headers.get('cross-origin-resource-policy')).toBe('same-site');
      expect((await app.request('/api/session')).headers.get('cross-origin-resource-policy')).toBe('same-site');
      await expectError(await app.request('/kit/../package.json'), 404, 'not_found');
      await expectError(await app.request('/kit/missing.js'), 404, 'not_found');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
