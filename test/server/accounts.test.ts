import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../server/auth/tokens.js';
import { expectError, sessionCookie, sessionSetCookie } from './expect.js';
import { createHarness, type Harness, ORIGIN, testConfig } from './helpers.js';

const HOUR = 3_600_000;
const PASSWORD = 'correct horse battery';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let h: Harness;
afterEach(() => h?.close());

const signUp = (body: Record<string, unknown>) => h.call('POST', '/api/signup', body);
const signIn = (email: string, password: string) => h.call('POST', '/api/signin', { email, password });
const mailsTo = (email: string) => h.outbox.messages.filter((m) => m.to === email);

describe('GET /api/config', () => {
  it('describes the default organization and its methods', async () => {
    h = createHarness();
    for (const path of ['/api/config', '/api/config?organization=default']) {
      const response = await h.call('GET', path);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        organization: { id: 'default', name: 'Perso AI Platform' },
        methods: { password: true, passkey: false, social: [] },
      });
    }
  });

  it('takes the name from PERSO_ORG_NAME and organizations from perso.config.json', async () => {
    h = createHarness({
      config: testConfig({}, {
        organizations: [
          { id: 'acme', name: 'Acme', allowedOrigins: ['https://app.acme.test'] },
          { id: 'closed', name: 'Closed Inc', methods: { password: false, passkey: true, social: ['github'] } },
        ],
      }),
    });
    const acme = await h.call('GET', '/api/config?organization=acme');
    expect(await acme.json()).toEqual({ organization: { id: 'acme', name: 'Acme' }, methods: { password: true, passkey: false, social: [] } });
    // Passkeys and social sign-in are not served by this version, so they are never advertised.
    const closed = await h.call('GET', '/api/config?organization=closed');
    expect(await closed.json()).toEqual({ organization: { id: 'closed', name: 'Closed Inc' }, methods: { password: false, passkey: false, social: [] } });
    // With a file, `default` exists only if the file lists it.
    await expectError(await h.call('GET', '/api/config'), 404, 'unknown_organization');

    await h.close();
    h = createHarness({ config: testConfig({ PERSO_ORG_NAME: 'Example Labs' }) });
    expect(await (await h.call('GET', '/api/config')).json()).toMatchObject({ organization: { id: 'default', name: 'Example Labs' } });
  });

  it('answers 404 unknown_organization for an id it does not know', async () => {
    h = createHarness();
    await expectError(await h.call('GET', '/api/config?organization=nope'), 404, 'unknown_organization');
  });
});

describe('POST /api/signup', () => {
  it('answers 202, stores an unverified account and mails a verification link', async () => {
    h = createHarness();
    const response = await signUp({ email: '  Ada@Example.COM ', password: PASSWORD });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'verification_sent' });
    expect(sessionSetCookie(response)).toBeUndefined();

    const user = await h.store.findUserByEmail('ada@example.com');
    expect(user).toMatchObject({ email: 'ada@example.com', organizationId: 'default', emailVerifiedAt: null, passwordHash: null, createdAt: h.clock.ms });
    const [mail, ...more] = h.outbox.messages;
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ to: 'ada@example.com', subject: 'Verify your email for Perso AI Platform' });
    expect(mail!.links).toEqual([expect.stringMatching(/^http:\/\/localhost:8787\/verify-email\?token=[\w-]{43}$/)]);
    expect(mail!.text).toContain(mail!.links[0]);
    expect(mail!.html).toContain(mail!.links[0]);
  });

  it('answers an existing verified email with the same 202 and an "already have an account" mail', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com', PASSWORD);
    const fresh = await signUp({ email: 'grace@example.com', password: 'another password' });
    const existing = await signUp({ email: 'ADA@example.com', password: 'a new password' });
    expect(existing.status).toBe(fresh.status);
    expect(await existing.text()).toBe(await fresh.text());
    expect([...existing.headers.keys()]).toEqual([...fresh.headers.keys()]);

    const [mail] = mailsTo('ada@example.com');
    expect(mail).toMatchObject({ subject: 'You already have a Perso AI Platform account', links: [ORIGIN] });
    expect(mail!.text).not.toContain('token=');
    // The sign-up changed nothing: the old password still signs in, the new one does not.
    expect((await signIn('ada@example.com', PASSWORD)).status).toBe(200);
    await expectError(await signIn('ada@example.com', 'a new password'), 401, 'invalid_credentials');
  });

  it.each([
    [{ email: 'not-an-email', password: PASSWORD }, ['email']],
    [{ email: 'ada@', password: PASSWORD }, ['email']],
    [{ email: `${'a'.repeat(250)}@example.com`, password: PASSWORD }, ['email']],
    [{ email: 'ada@example.com', password: '1234567' }, ['password']],
    [{ email: 'ada@example.com', password: 'x'.repeat(257) }, ['password']],
    [{ email: 'ada@example.com', password: 12345678 }, ['password']],
    [{}, ['email', 'password']],
    [{ email: 'ada@example.com', password: PASSWORD, redirect: 'javascript:alert(1)' }, ['redirect']],
  ])('answers 422 validation_failed for %j, naming %j', async (body, fields) => {
    h = createHarness();
    const error = await expectError(await signUp(body), 422, 'validation_failed', fields);
    expect(error.message).toBe('Some fields are not valid. Correct them and try again.');
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();
    expect(h.outbox.messages).toEqual([]);
  });

  it('accepts passwords of exactly 8 and 256 characters', async () => {
    h = createHarness();
    expect((await signUp({ email: 'eight@example.com', password: '12345678' })).status).toBe(202);
    expect((await signUp({ email: 'long@example.com', password: 'y'.repeat(256) })).status).toBe(202);
  });

  it('refuses a redirect outside the organization’s allowed origins', async () => {
    h = createHarness();
    const error = await expectError(
      await signUp({ email: 'ada@example.com', password: PASSWORD, redirect: 'https://evil.example/welcome' }),
      422,
      'validation_failed',
      ['redirect'],
    );
    expect(error.fields!.redirect).toMatch(/allowed origins/);
    expect(h.outbox.messages).toEqual([]);
  });

  it('answers 404 for an unknown organization and 403 when the organization turned passwords off', async () => {
    h = createHarness({ config: testConfig({}, { organizations: [{ id: 'default', name: 'D' }, { id: 'closed', name: 'C', methods: { password: false } }] }) });
    await expectError(await signUp({ email: 'ada@example.com', password: PASSWORD, organization: 'nope' }), 404, 'unknown_organization');
    await expectError(await signUp({ email: 'ada@example.com', password: PASSWORD, organization: 'closed' }), 403, 'method_disabled');
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();
  });

  it('puts the account in the organization it signed up with', async () => {
    h = createHarness({ config: testConfig({}, { organizations: [{ id: 'acme', name: 'Acme' }] }) });
    await signUp({ email: 'ada@example.com', password: PASSWORD, organization: 'acme' });
    expect(mailsTo('ada@example.com')[0]!.subject).toBe('Verify your email for Acme');
    const verified = await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') });
    expect(await verified.json()).toMatchObject({ user: { organizationId: 'acme' } });
  });
});

describe('POST /api/verify-email', () => {
  it('verifies the account, answers the user and starts a session', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const response = await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') });
    expect(response.status).toBe(200);
    const { user } = (await response.json()) as { user: Record<string, unknown> };
    expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'emailVerified', 'id', 'organizationId']);
    expect(user).toEqual({ id: expect.any(String), email: 'ada@example.com', emailVerified: true, organizationId: 'default', createdAt: new Date(h.clock.ms).toISOString() });
    expect(user.createdAt).toMatch(ISO);

    sessionCookie(response);
    expect(await (await h.call('GET', '/api/session')).json()).toEqual({ user });
    expect(await h.store.findUserById(user.id as string)).toMatchObject({ emailVerifiedAt: h.clock.ms, passwordHash: expect.stringMatching(/^\$argon2id\$/) });
    expect((await signIn('ada@example.com', PASSWORD)).status).toBe(200);
  });

  it('works once: the second use is invalid_token', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const token = h.lastToken('ada@example.com');
    expect((await h.call('POST', '/api/verify-email', { token })).status).toBe(200);
    h.cookie = undefined;
    const again = await h.call('POST', '/api/verify-email', { token });
    await expectError(again, 400, 'invalid_token');
    expect(sessionSetCookie(again)).toBeUndefined();
  });

  it('answers invalid_token for an unknown token and 422 without one', async () => {
    h = createHarness();
    await expectError(await h.call('POST', '/api/verify-email', { token: 'x'.repeat(43) }), 400, 'invalid_token');
    await expectError(await h.call('POST', '/api/verify-email', {}), 422, 'validation_failed', ['token']);
    await expectError(await h.call('POST', '/api/verify-email', { token: '' }), 422, 'validation_failed', ['token']);
  });

  it('expires the link after 24 hours', async () => {
    h = createHarness();
    await signUp({ email: 'early@example.com', password: PASSWORD });
    await signUp({ email: 'late@example.com', password: PASSWORD });
    h.clock.advance(24 * HOUR - 1);
    expect((await h.call('POST', '/api/verify-email', { token: h.lastToken('early@example.com') })).status).toBe(200);
    h.clock.advance(1);
    h.cookie = undefined;
    const late = await h.call('POST', '/api/verify-email', { token: h.lastToken('late@example.com') });
    await expectError(late, 400, 'token_expired');
    expect(sessionSetCookie(late)).toBeUndefined();
    expect(await h.store.findUserByEmail('late@example.com')).toMatchObject({ emailVerifiedAt: null });
  });

  it('ends every other pending link of the account', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const first = h.lastToken('ada@example.com');
    await h.call('POST', '/api/verify-email/resend', { email: 'ada@example.com' });
    const second = h.lastToken('ada@example.com');
    expect(second).not.toBe(first);
    expect((await h.call('POST', '/api/verify-email', { token: second })).status).toBe(200);
    await expectError(await h.call('POST', '/api/verify-email', { token: first }), 400, 'invalid_token');
  });
});

describe('GET /verify-email (the link in the mail)', () => {
  const follow = (token: string) => h.app.request(`/verify-email?token=${encodeURIComponent(token)}`);

  it('verifies, sets the session and redirects 303 to the sign-up’s allowed redirect', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD, redirect: `${ORIGIN}/welcome?from=mail` });
    const response = await h.app.request(new URL(h.outbox.messages[0]!.links[0]!).pathname + new URL(h.outbox.messages[0]!.links[0]!).search);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${ORIGIN}/welcome?from=mail`);
    const session = await h.app.request('/api/session', { headers: { cookie: sessionCookie(response) } });
    expect(await session.json()).toMatchObject({ user: { email: 'ada@example.com', emailVerified: true } });
  });

  it('shows the "Email verified" page when the sign-up gave no redirect', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const response = await follow(h.lastToken('ada@example.com'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<title>Email verified</title>');
    expect(page).toContain('ada@example.com is verified');
    expect((await h.app.request('/api/session', { headers: { cookie: sessionCookie(response) } })).status).toBe(200);
  });

  it.each([
    ['an unknown token', 'x'.repeat(43), 'not valid or was already used'],
    ['an empty token', '', 'not valid or was already used'],
    ['an absurdly long token', 't'.repeat(5000), 'not valid or was already used'],
  ])('answers %s with a 400 error page', async (_, token, sentence) => {
    h = createHarness();
    const response = await follow(token);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('<title>Verification failed</title>');
    expect(page).toContain(sentence);
    expect(sessionSetCookie(response)).toBeUndefined();
  });

  it('answers a missing token, a used link and an expired link with 400 error pages', async () => {
    h = createHarness();
    const missing = await h.app.request('/verify-email');
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Verification failed');

    await signUp({ email: 'used@example.com', password: PASSWORD });
    const token = h.lastToken('used@example.com');
    expect((await follow(token)).status).toBe(200);
    const used = await follow(token);
    expect(used.status).toBe(400);
    expect(await used.text()).toContain('already used');

    await signUp({ email: 'late@example.com', password: PASSWORD });
    h.clock.advance(24 * HOUR + 1);
    const expired = await follow(h.lastToken('late@example.com'));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('This verification link has expired. Request a new one.');
  });
});

describe('POST /api/verify-email/resend', () => {
  it('answers 202 for an unknown or already verified email and sends nothing', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com');
    const sent = h.outbox.messages.length;
    for (const email of ['nobody@example.com', 'ada@example.com']) {
      const response = await h.call('POST', '/api/verify-email/resend', { email });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ status: 'verification_sent' });
    }
    expect(h.outbox.messages.length).toBe(sent);
  });

  it('mails an unverified account a new link that verifies it with its sign-up password', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const first = h.lastToken('ada@example.com');
    const response = await h.call('POST', '/api/verify-email/resend', { email: 'Ada@Example.com' });
    expect(response.status).toBe(202);
    expect(mailsTo('ada@example.com')).toHaveLength(2);
    const second = h.lastToken('ada@example.com');
    expect(second).not.toBe(first);
    expect((await h.call('POST', '/api/verify-email', { token: second })).status).toBe(200);
    expect((await signIn('ada@example.com', PASSWORD)).status).toBe(200);
  });

  it('gives a working link after the first one expired, and the sign-up password still signs in', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    h.clock.advance(25 * HOUR);
    await expectError(await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') }), 400, 'token_expired');
    // Signing in meanwhile says what to do, not that the password is wrong.
    await expectError(await signIn('ada@example.com', PASSWORD), 403, 'email_not_verified');
    await h.call('POST', '/api/verify-email/resend', { email: 'ada@example.com' });
    expect((await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') })).status).toBe(200);
    h.cookie = undefined;
    expect((await signIn('ada@example.com', PASSWORD)).status).toBe(200);
  });

  it('keeps the sign-up’s redirect in the resent link', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD, redirect: `${ORIGIN}/welcome` });
    await h.call('POST', '/api/verify-email/resend', { email: 'ada@example.com' });
    const response = await h.app.request(`/verify-email?token=${h.lastToken('ada@example.com')}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${ORIGIN}/welcome`);
  });

  it('answers 422 for a malformed email', async () => {
    h = createHarness();
    await expectError(await h.call('POST', '/api/verify-email/resend', { email: 'nope' }), 422, 'validation_failed', ['email']);
  });

  it('answers 429 rate_limited with Retry-After once an email asked too often, known or not', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    for (const email of ['ada@example.com', 'nobody@example.com']) {
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 6 && !limited; i++) {
        const response = await h.call('POST', '/api/verify-email/resend', { email });
        statuses.push(response.status);
        if (response.status === 429) limited = response;
      }
      expect(statuses).toEqual([202, 202, 202, 429]);
      expect(Number(limited!.headers.get('retry-after'))).toBe(15 * 60);
      await expectError(limited!, 429, 'rate_limited');
    }
    expect(mailsTo('ada@example.com')).toHaveLength(4);
    h.clock.advance(15 * 60_000);
    expect((await h.call('POST', '/api/verify-email/resend', { email: 'ada@example.com' })).status).toBe(202);
  });
});

describe('account pre-hijacking', () => {
  it('a stranger who signed up first with the victim’s email cannot sign in once the victim verifies', async () => {
    h = createHarness();
    const stranger = await signUp({ email: 'victim@example.com', password: 'stranger password A' });
    expect(stranger.status).toBe(202);
    const strangersLink = h.lastToken('victim@example.com');
    // Before verification the stranger has nothing: the account is not active.
    await expectError(await signIn('victim@example.com', 'stranger password A'), 403, 'email_not_verified');

    const victim = await signUp({ email: 'victim@example.com', password: 'victim password B' });
    expect(victim.status).toBe(202);
    const victimsLink = h.lastToken('victim@example.com');
    expect(victimsLink).not.toBe(strangersLink);
    const verified = await h.call('POST', '/api/verify-email', { token: victimsLink });
    expect(verified.status).toBe(200);

    h.cookie = undefined;
    expect((await signIn('victim@example.com', 'victim password B')).status).toBe(200);
    h.cookie = undefined;
    await expectError(await signIn('victim@example.com', 'stranger password A'), 401, 'invalid_credentials');
    // The stranger's own link died with the victim's verification.
    await expectError(await h.call('POST', '/api/verify-email', { token: strangersLink }), 400, 'invalid_token');
    await expectError(await signIn('victim@example.com', 'stranger password A'), 401, 'invalid_credentials');
  });
});

describe('secrets at rest', () => {
  it('the database files never hold a password, a session id or a verification token in clear', async () => {
    h = createHarness();
    const password = 'Unmistakable-Password-42';
    await signUp({ email: 'ada@example.com', password });
    const token = h.lastToken('ada@example.com');
    const verified = await h.call('POST', '/api/verify-email', { token });
    const firstSession = sessionCookie(verified).split('=')[1]!;
    h.cookie = undefined;
    const signedIn = await signIn('ada@example.com', password);
    const secondSession = sessionCookie(signedIn).split('=')[1]!;

    const bytes = h.databaseBytes();
    expect(bytes.length).toBeGreaterThan(0);
    // The hashes are there (so the search below looks at the right files)…
    expect(bytes.includes(sha256Hex(token))).toBe(true);
    expect(bytes.includes(sha256Hex(secondSession))).toBe(true);
    // …and the clear values are not, in any encoding a leak would be read in.
    for (const secret of [password, token, firstSession, secondSession]) {
      expect(bytes.includes(secret), secret).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), secret).toBe(false);
    }
    expect(bytes.includes(Buffer.from(token, 'base64url'))).toBe(false);
  });
});
