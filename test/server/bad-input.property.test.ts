import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, ORIGIN, testConfig } from './helpers.js';

/**
 * Random bodies and headers sent to every route: never a 5xx, every error in the contract's
 * shape, and nothing in the database changes. Inputs that could be valid (and so change state
 * on purpose) are left out by construction; the documented successes that change nothing
 * (resend, sign-out without a session, reads) are allowed.
 */

// PERSO_FC_RUNS=1000 for a deeper search than the default, which keeps the file at a few seconds.
const RUNS = Number(process.env.PERSO_FC_RUNS ?? 40);
const VERIFIED = 'ada@example.com';
const PENDING = 'grace@example.com';

let h: Harness;
let validCookie: string;
/** Served through a "trusted proxy" at this address, which passes X-Forwarded-For on. */
const VIA_PROXY = { incoming: { socket: { remoteAddress: '10.0.0.1' } } };

beforeAll(async () => {
  // Behind a "trusted proxy" so random X-Forwarded-For values spread the per-address limits
  // and most runs reach the code behind them.
  h = createHarness({ config: testConfig({ PERSO_TRUST_PROXY: 'true' }) });
  await h.signUpVerified(VERIFIED, 'correct horse battery');
  validCookie = h.cookie!;
  expect((await h.call('POST', '/api/keys', { name: 'existing' })).status).toBe(201);
  await h.call('POST', '/api/signup', { email: PENDING, password: 'grace password' });
  h.cookie = undefined;
});

afterAll(async () => {
  await h?.close();
});

// ---- generators -------------------------------------------------------------------------

const huge = fc.constantFrom('x'.repeat(300), 'é'.repeat(5_000), `${'a'.repeat(60_000)}@example.com`, 'y'.repeat(70_000));
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), huge, fc.string(), fc.constant(null));
const email = fc.oneof(fc.string(), fc.emailAddress(), fc.constant(VERIFIED), fc.constant(` ${VERIFIED.toUpperCase()} `), huge, fc.jsonValue({ maxDepth: 1 }));

type Body = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string };
const json = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Body> => value.map((v) => ({ kind: 'json', value: v }));
const raw = fc.oneof(fc.string(), fc.constantFrom('{', '{"email":', '[1,', 'nul', '{"a":1}}', "{'a':1}", '\u0000', '')).map((text): Body => ({ kind: 'raw', text }));

/** Objects with the route's keys (each maybe missing, of any type) plus random extra keys. */
const shaped = (keys: Record<string, fc.Arbitrary<unknown>>) =>
  fc.tuple(fc.record(keys, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 3 })).map(([known, extra]) => ({ ...extra, ...known }));

const bodyFor = (keys: Record<string, fc.Arbitrary<unknown>>, valid: (body: Record<string, unknown>) => boolean = () => false): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.constant<Body>({ kind: 'none' }),
    raw,
    json(fc.jsonValue({ maxDepth: 3 }).filter((v) => !(v && typeof v === 'object' && !Array.isArray(v) && valid(v as Record<string, unknown>)))),
    json(shaped(keys).filter((v) => !valid(v))),
  );

const isString = (v: unknown): v is string => typeof v === 'string';
/** Could pass as a real sign-up, and so create an account: not bad input. */
const couldSignUp = (b: Record<string, unknown>) => isString(b.email) && b.email.includes('@') && isString(b.password) && b.password.length >= 8;
/** A name the contract accepts (1–100 characters after trim): would create a key. */
const couldNameKey = (b: Record<string, unknown>) => isString(b.name) && b.name.trim().length >= 1 && b.name.trim().length <= 100;

const text = fc.string({ maxLength: 40 });
const headerValue = fc.oneof(text, fc.constantFrom('', ' ', '%', '%E0%A4%A', '"', ';;;', '=', 'a=b; c'));
// Mostly JSON, so that most bodies get past the media type check to the routes' own validation.
const contentType = fc.option(
  fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 6 },
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json;',
      'application/vnd.api+json',
      'application/x_y+json',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      '',
    ),
    text,
  ),
  { nil: undefined, freq: 8 },
);
// Mostly the allowed origin, so that most requests get past the CSRF check.
const origin = fc.option(
  fc.oneof({ arbitrary: fc.constant(ORIGIN), weight: 6 }, fc.constantFrom('https://evil.example', 'null', 'http://localhost:8788', 'file://'), headerValue),
  { nil: undefined },
);
const cookie = (allowValid: boolean) =>
  fc.option(
    fc.oneof(
      ...(allowValid ? [{ arbitrary: fc.constant('VALID'), weight: 4 }] : []),
      text.map((v) => `perso_session=${v}`),
      headerValue,
      fc.constantFrom('perso_session=', 'perso_session=%zz', 'perso_session="a"; perso_session=b'),
    ),
    { nil: undefined, freq: 2 },
  );
const authorization = fc.option(
  fc.oneof(
    headerValue,
    text.map((v) => `Bearer ${v}`),
    fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => `Bearer pak-${hex}`),
    fc.constantFrom('Bearer', 'Bearer pak-', 'Basic YTpi', 'bearer  pak-0123456789abcdef0123456789abcdef'),
  ),
  { nil: undefined },
);
const headers = (allowValidCookie: boolean) =>
  fc.record(
    {
      'content-type': contentType,
      origin,
      cookie: cookie(allowValidCookie),
      authorization,
      'x-api-key': fc.option(headerValue, { nil: undefined }),
      'x-forwarded-for': fc.option(fc.oneof(fc.ipV4(), headerValue), { nil: undefined }),
    },
    { requiredKeys: [] },
  );

// ---- the routes -------------------------------------------------------------------------

interface Case {
  method: string;
  path: string;
  body: Body;
  headers: Record<string, string | undefined>;
}

interface Route {
  name: string;
  cases: fc.Arbitrary<Case>;
  /** Successes the contract documents for this route that change nothing. */
  successes: number[];
  /** An HTML page route: its errors are pages, not JSON. */
  page?: boolean;
}

const query = fc.oneof(text.map(encodeURIComponent), text, fc.constantFrom('', '%', '%zz', 'default', 'a&b=c', 'x'.repeat(5_000)));
const methodsWithBody = ['POST', 'PUT', 'PATCH', 'DELETE'];

const route = (name: string, method: string, path: fc.Arbitrary<string>, body: fc.Arbitrary<Body>, successes: number[], allowValidCookie = true, page = false): Route => ({
  name,
  successes,
  page,
  cases: fc.record({ method: fc.constant(method), path, body: methodsWithBody.includes(method) ? body : fc.constant<Body>({ kind: 'none' }), headers: headers(allowValidCookie) }),
});

const anyBody = bodyFor({ anything: anyValue });

const ROUTES: Route[] = [
  route('GET /api/config', 'GET', query.map((q) => `/api/config?organization=${q}`), anyBody, [200]),
  route('POST /api/signup', 'POST', fc.constant('/api/signup'), bodyFor({ email, password: anyValue, organization: anyValue, redirect: anyValue }, couldSignUp), []),
  route('POST /api/verify-email', 'POST', fc.constant('/api/verify-email'), bodyFor({ token: anyValue }), []),
  route('GET /verify-email', 'GET', query.map((q) => `/verify-email?token=${q}`), anyBody, [], true, true),
  // Resend to the pending account would send a link and store its token, on purpose: its email is never generated.
  route('POST /api/verify-email/resend', 'POST', fc.constant('/api/verify-email/resend'), bodyFor({ email }), [202]),
  route('POST /api/signin', 'POST', fc.constant('/api/signin'), bodyFor({ email, password: anyValue }), []),
  // With the valid cookie, sign-out ends that session, on purpose: only other cookies here.
  route('POST /api/signout', 'POST', fc.constant('/api/signout'), anyBody, [204], false),
  route('GET /api/session', 'GET', fc.constant('/api/session'), anyBody, [200]),
  route('GET /api/keys', 'GET', fc.constant('/api/keys'), anyBody, [200]),
  route('POST /api/keys', 'POST', fc.constant('/api/keys'), bodyFor({ name: anyValue, expiresAt: anyValue }, couldNameKey), []),
  route('DELETE /api/keys/{id}', 'DELETE', fc.oneof(fc.webSegment(), fc.uuid(), text.map(encodeURIComponent)).map((id) => `/api/keys/${id}`), anyBody, []),
  route('GET /v1/whoami', 'GET', fc.constant('/v1/whoami'), anyBody, []),
  {
    name: 'unknown paths, any method',
    successes: [204],
    cases: fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
      path: fc.oneof(fc.webSegment().map((s) => `/api/zz-${s}`), fc.webSegment().map((s) => `/zz-${s}`), fc.webSegment().map((s) => `/v1/zz-${s}`)),
      body: anyBody,
      headers: headers(true),
    }),
  },
];

function toRequest(c: Case): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(c.headers)) {
    if (value === undefined) continue;
    headers.set(name, name === 'cookie' && value === 'VALID' ? validCookie : value);
  }
  const init: RequestInit = { method: c.method, headers };
  if (!methodsWithBody.includes(c.method)) return new Request(`http://localhost:8787${c.path}`, init);
  if (c.body.kind === 'json') init.body = JSON.stringify(c.body.value) ?? 'null';
  if (c.body.kind === 'raw') init.body = c.body.text;
  return new Request(`http://localhost:8787${c.path}`, init);
}

describe('bad input to every route', () => {
  it.each(ROUTES)('$name: never a 5xx, errors in the contract’s shape, nothing changes', async (r) => {
    await fc.assert(
      fc.asyncProperty(r.cases, async (c) => {
        const before = await h.databaseSnapshot();
        const mails = h.outbox.messages.length;
        const response = await h.app.request(toRequest(c), undefined, VIA_PROXY);
        const body = await response.text();

        expect(response.status, body).toBeLessThan(500);
        if (response.status < 400) {
          expect(r.successes, `${response.status} ${body}`).toContain(response.status);
        } else if (r.page) {
          expect([400, 429]).toContain(response.status);
          expect(response.headers.get('content-type')).toMatch(/^text\/html/);
          expect(body).toContain('Verification failed');
        } else if (c.method !== 'HEAD') {
          expect(response.headers.get('content-type')).toMatch(/^application\/json/);
          const parsed = JSON.parse(body) as { error: { code: string; message: string; fields?: Record<string, string> } };
          expect(Object.keys(parsed)).toEqual(['error']);
          expect(parsed.error.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
          expect(parsed.error.message).toMatch(/^[A-Z].*\.$/);
          if (response.status === 422) expect(Object.values(parsed.error.fields ?? { none: 1 }).every(isString)).toBe(true);
          else expect(parsed.error.fields).toBeUndefined();
        }
        expect(body).not.toMatch(/\bat .*\.[cm]?[jt]s:\d+|node_modules/);
        expect(await h.databaseSnapshot()).toBe(before);
        expect(h.outbox.messages.length).toBe(mails);
      }),
      { numRuns: RUNS },
    );
  });

  it('left the signed-in session and the pending sign-up working', async () => {
    // A fresh address: the runs may have used up the limits of the ones they sent.
    const headers = { 'x-forwarded-for': '192.0.2.250' };
    expect((await h.app.request('/api/session', { headers: { ...headers, cookie: validCookie } }, VIA_PROXY)).status).toBe(200);
    expect((await h.app.request(`/verify-email?token=${h.lastToken(PENDING)}`, { headers: { ...headers, cookie: h.signupCookie! } }, VIA_PROXY)).status).toBe(200);
  });
});
