import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createRateLimits } from '../../server/auth/rate-limit.js';
import { DevOutbox } from '../../server/mail/dev-outbox.js';
import type { Store } from '../../server/store/types.js';
import { expectError, sessionCookie } from './expect.js';
import { createHarness, type Harness, ORIGIN, TestClock, testConfig } from './helpers.js';

const FOREIGN = 'https://evil.example';
const KIB = 1024;

let h: Harness;
afterEach(() => h?.close());

const post = (path: string, body: BodyInit | undefined, headers: Record<string, string> = {}) =>
  h.app.request(path, { method: 'POST', body, headers: { origin: ORIGIN, ...headers } });

const POST_ROUTES = ['/api/signup', '/api/verify-email', '/api/verify-email/resend', '/api/signin'];

describe('error model (API.md §1)', () => {
  it.each(POST_ROUTES)('answers malformed JSON on %s with 400 invalid_json', async (path) => {
    h = createHarness();
    for (const body of ['{"email":', '{email: "a@b.co"}', "{'a':1}", '', 'undefined', '{"a":1}}']) {
      const response = await post(path, body, { 'content-type': 'application/json' });
      await expectError(response, 400, 'invalid_json');
    }
  });

  it('answers exactly the documented body for invalid_json', async () => {
    h = createHarness();
    const response = await post('/api/signin', '{', { 'content-type': 'application/json; charset=utf-8' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json'])(
    'answers a %s body with 415 unsupported_media_type',
    async (type) => {
      h = createHarness();
      const response = await post('/api/signin', JSON.stringify({ email: 'ada@example.com', password: 'x' }), { 'content-type': type });
      await expectError(response, 415, 'unsupported_media_type');
    },
  );

  it('answers a body without a content type with 415', async () => {
    h = createHarness();
    await expectError(await post('/api/signin', new TextEncoder().encode('{"email":"a@b.co"}')), 415, 'unsupported_media_type');
  });

  it('answers an empty body under a non-JSON content type with 415 too', async () => {
    h = createHarness();
    for (const type of ['text/plain', '!', 'application/x_y+json']) {
      await expectError(await post('/api/signin', '', { 'content-type': type }), 415, 'unsupported_media_type');
      await expectError(await post('/api/signup', undefined, { 'content-type': type }), 415, 'unsupported_media_type');
    }
  });

  it('accepts JSON content types with parameters or a +json suffix', async () => {
    h = createHarness();
    for (const type of ['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.api+json']) {
      const response = await post('/api/signin', JSON.stringify({ email: 'nope' }), { 'content-type': type });
      expect(response.status, type).toBe(422);
    }
  });

  it('answers a body over 64 KiB with 413 payload_too_large, and takes one of exactly 64 KiB', async () => {
    h = createHarness();
    const sized = (bytes: number) => {
      const shell = JSON.stringify({ email: 'ada@example.com', password: '' });
      return JSON.stringify({ email: 'ada@example.com', password: 'p'.repeat(bytes - shell.length) });
    };
    expect(sized(64 * KIB)).toHaveLength(64 * KIB);
    const atLimit = await post('/api/signin', sized(64 * KIB), { 'content-type': 'application/json' });
    await expectError(atLimit, 422, 'validation_failed', ['password']);
    const over = await post('/api/signin', sized(64 * KIB + 1), { 'content-type': 'application/json' });
    await expectError(over, 413, 'payload_too_large');
    // Whatever the type: the size is checked before anything else looks at the body.
    await expectError(await post('/api/signup', 'x'.repeat(200 * KIB), { 'content-type': 'text/plain' }), 413, 'payload_too_large');
  });

  it('answers a declared Content-Length over 64 KiB with 413 before reading', async () => {
    h = createHarness();
    const response = await post('/api/signin', '{}', { 'content-type': 'application/json', 'content-length': String(1024 * KIB) });
    await expectError(response, 413, 'payload_too_large');
  });

  it.each([
    ['GET', '/api/nope'],
    ['POST', '/api/nope'],
    ['GET', '/nope'],
    ['GET', '/api/signup'],
    ['DELETE', '/api/session'],
    ['GET', '/verify-email/extra'],
  ])('answers %s %s with 404 not_found', async (method, path) => {
    h = createHarness();
    const response = await h.app.request(path, { method, headers: { origin: ORIGIN } });
    const error = await expectError(response, 404, 'not_found');
    expect(error.message).toBe('There is nothing at this address.');
  });

  it('answers an unexpected failure with 500 internal_error, logs it, and shows no detail', async () => {
    h = createHarness();
    const logged: unknown[] = [];
    const broken: Store = new Proxy(h.store, {
      get: (target, name: keyof Store) =>
        name === 'findUserByEmail' ? () => Promise.reject(new Error('SQLITE_CORRUPT: secret detail at /srv/perso.db')) : target[name],
    });
    const config = testConfig();
    const clock = new TestClock();
    const app = createApp({ store: broken, mailer: new DevOutbox(clock.now, () => {}), config, clock, limits: createRateLimits(clock), log: (...args) => logged.push(args) });
    const response = await app.request('/api/signin', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'whatever' }),
    });
    const text = await response.clone().text();
    await expectError(response, 500, 'internal_error');
    expect(text).not.toContain('secret detail');
    expect(text).not.toContain('SQLITE');
    expect(JSON.stringify(logged)).toContain('/api/signin');
  });
});

describe('CORS', () => {
  const preflight = (origin: string, method = 'POST') =>
    h.app.request('/api/signin', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' } });

  it('answers allowed origins with credentials, the server’s loopback spellings included', async () => {
    h = createHarness();
    for (const origin of [ORIGIN, 'http://127.0.0.1:8787', 'http://[::1]:8787']) {
      const response = await h.app.request('/api/config', { headers: { origin } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin'), origin).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('vary')).toMatch(/Origin/);
    }
  });

  it('answers preflights from allowed origins', async () => {
    h = createHarness();
    for (const method of ['POST', 'DELETE']) {
      const response = await preflight(ORIGIN, method);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-allow-methods')!.split(',')).toContain(method);
      expect(response.headers.get('access-control-allow-headers')!.toLowerCase()).toContain('content-type');
    }
  });

  it('gives foreign origins no CORS headers at all, preflight included', async () => {
    h = createHarness();
    for (const origin of [FOREIGN, 'http://localhost:9999', 'https://localhost:8787', 'null']) {
      for (const response of [await h.app.request('/api/config', { headers: { origin } }), await preflight(origin)]) {
        expect(response.headers.get('access-control-allow-origin'), origin).toBeNull();
        expect(response.headers.get('access-control-allow-credentials'), origin).toBeNull();
        expect(response.headers.get('access-control-allow-methods'), origin).toBeNull();
        expect(response.headers.get('vary')).toMatch(/Origin/);
      }
    }
  });

  it('adds the origins of PERSO_ORIGINS', async () => {
    h = createHarness({ config: testConfig({ PERSO_ORIGINS: 'https://app.example.com, http://localhost:5173/' }) });
    for (const origin of ['https://app.example.com', 'http://localhost:5173']) {
      expect((await h.app.request('/api/config', { headers: { origin } })).headers.get('access-control-allow-origin')).toBe(origin);
      expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBe(origin);
    }
  });

  it('adds the allowedOrigins of the organizations in perso.config.json', async () => {
    h = createHarness({ config: testConfig({}, { organizations: [{ id: 'default', name: 'D' }, { id: 'acme', name: 'Acme', allowedOrigins: ['https://acme.example'] }] }) });
    expect((await h.app.request('/api/config?organization=acme', { headers: { origin: 'https://acme.example' } })).headers.get('access-control-allow-origin')).toBe('https://acme.example');
  });
});

describe('origin check on state changes (CSRF)', () => {
  it('refuses a cookie-carrying POST with a foreign Origin or none, and keeps the session', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com');
    const variants: Record<string, string>[] = [{ origin: FOREIGN }, { origin: 'null' }, { origin: 'http://localhost:8788' }, {}];
    for (const headers of variants) {
      const response = await h.app.request('/api/signout', { method: 'POST', headers: { cookie: h.cookie!, ...headers } });
      await expectError(response, 403, 'origin_not_allowed');
    }
    const forged = await h.app.request('/api/keys', {
      method: 'POST',
      headers: { cookie: h.cookie!, origin: FOREIGN, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'stolen' }),
    });
    await expectError(forged, 403, 'origin_not_allowed');
    await expectError(await h.app.request('/api/keys/any', { method: 'DELETE', headers: { cookie: h.cookie! } }), 403, 'origin_not_allowed');
    expect((await h.call('GET', '/api/keys').then((r) => r.json())) as unknown).toMatchObject({ keys: [] });
    expect((await h.call('GET', '/api/session')).status).toBe(200);
    expect((await h.call('POST', '/api/signout')).status).toBe(204);
  });

  it('lets a request without a cookie or Origin through (curl, servers)', async () => {
    h = createHarness();
    const headers = { 'content-type': 'application/json' };
    const signup = await h.app.request('/api/signup', { method: 'POST', headers, body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }) });
    expect(signup.status).toBe(202);
    const { attempt } = (await signup.json()) as { attempt: string };
    await h.mail.drain();
    await h.app.request('/api/verify-email', { method: 'POST', headers, body: JSON.stringify({ attempt, code: h.lastCode('ada@example.com') }) });
    const signin = await h.app.request('/api/signin', { method: 'POST', headers, body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }) });
    expect(signin.status).toBe(200);
    sessionCookie(signin);
  });

  it('also refuses a foreign Origin without a cookie, so no page elsewhere can sign a browser in', async () => {
    h = createHarness();
    const response = await post('/api/signin', JSON.stringify({ email: 'ada@example.com', password: 'x' }), { origin: FOREIGN, 'content-type': 'application/json' });
    await expectError(response, 403, 'origin_not_allowed');
  });

  it('accepts the allowed origins of PERSO_ORIGINS and of the user’s organization', async () => {
    h = createHarness({
      config: testConfig({ PERSO_ORIGINS: 'https://app.example.com' }, { organizations: [{ id: 'default', name: 'D' }, { id: 'acme', name: 'Acme', allowedOrigins: ['https://acme.example'] }] }),
    });
    await h.call('POST', '/api/signup', { email: 'ada@example.com', password: 'correct horse', organization: 'acme' }, { origin: 'https://acme.example' });
    await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') }, { origin: 'https://acme.example' });
    const created = await h.call('POST', '/api/keys', { name: 'from acme' }, { origin: 'https://acme.example' });
    expect(created.status).toBe(201);
    expect((await h.call('POST', '/api/keys', { name: 'from app' }, { origin: 'https://app.example.com' })).status).toBe(201);
    expect((await h.call('POST', '/api/signout', undefined, { origin: 'https://acme.example' })).status).toBe(204);
  });
});

describe('security headers', () => {
  const common = (response: Response) => {
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  };

  it('sets them on API answers, pages and 404s, and never caches the API', async () => {
    h = createHarness();
    for (const path of ['/api/config', '/api/session', '/api/nope', '/verify-email?token=x', '/nope', '/v1/whoami']) {
      const response = await h.app.request(path, { headers: { origin: ORIGIN } });
      common(response);
      expect(response.headers.get('strict-transport-security'), path).toBeNull();
      if (path.startsWith('/api/')) expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('adds HSTS when served over https', async () => {
    h = createHarness({ config: testConfig({ PERSO_PUBLIC_URL: 'https://auth.example.com' }) });
    const response = await h.app.request('/api/config');
    common(response);
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
  });
});

/** The routes of API.md §2, §5 and §6. */
const CONTRACT_ROUTES = [
  'GET /api/config',
  'POST /api/signup',
  'POST /api/verify-email',
  'POST /api/verify-email/resend',
  'POST /api/signin',
  'POST /api/password-reset',
  'POST /api/password-reset/confirm',
  'POST /api/signout',
  'GET /api/session',
  'GET /api/keys',
  'POST /api/keys',
  'DELETE /api/keys/{id}',
  'GET /v1/whoami',
];

describe('GET /api/openapi.json', () => {
  it('documents every route of the API with its error shape', async () => {
    h = createHarness();
    const response = await h.app.request('/api/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: ORIGIN }]);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations).toEqual(expect.arrayContaining(CONTRACT_ROUTES));
    // Every API route the app serves is documented (the document itself, the dev-only outbox and
    // the HTML pages that mail links open aside).
    const served = h.app.routes
      .filter((r) => r.method !== 'ALL' && !/^\/(api\/)?dev\/|^\/api\/openapi\.json$|^\/(verify-email|reset-password|pages)(\/|$)/.test(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(operations.sort()).toEqual([...new Set(served)].sort());
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        expect(operation.summary, `${method} ${path}`).toMatch(/\w/);
        expect(Object.keys(operation.responses).length, `${method} ${path}`).toBeGreaterThan(0);
      }
    }
    expect(doc.components.schemas).toHaveProperty('Error');
    expect(doc.components.schemas).toHaveProperty('User');
    expect(doc.paths['/api/signin']!.post!.responses).toHaveProperty('401');
  });
});
