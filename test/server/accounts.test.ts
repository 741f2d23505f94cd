import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../server/auth/tokens.js';
import { expectError, sessionCookie, sessionSetCookie } from './expect.js';
import { type Browser, createHarness, type Harness, ORIGIN, testConfig } from './helpers.js';

const HOUR = 3_600_000;
const PASSWORD = 'correct horse battery';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let h: Harness;
afterEach(() => h?.close());

const signUp = (body: Record<string, unknown>, b: Browser = h) => b.call('POST', '/api/signup', body);
const signIn = (email: string, password: string, b: Browser = h) => b.call('POST', '/api/signin', { email, password });
const mailsTo = (email: string) => h.outbox.messages.filter((m) => m.to === email);
const session = async (b: Browser) => (await b.call('GET', '/api/session')).status;
const attemptOf = async (response: Response) => ((await response.clone().json()) as { attempt: string }).attempt;

describe('GET /api/config', () => {
  it('describes the default organization and its methods', async () => {
    h = createHarness();
    for (const path of ['/api/config', '/api/config?organization=default']) {
      const response = await h.call('GET', path);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ organization: { id: 'default', name: 'Perso AI Platform' }, methods: { password: true, passkey: false, social: [] } });
    }
    await expectError(await h.call('GET', '/api/config?organization=nope'), 404, 'unknown_organization');
  });
});

describe('POST /api/signup', () => {
  it('answers 202 with an attempt id and the perso_signup cookie, and mails a link and a 6-digit code', async () => {
    h = createHarness();
    const response = await signUp({ email: '  Ada@Example.COM ', password: PASSWORD });
    expect(response.status).toBe(202);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ status: 'verification_sent', attempt: expect.stringMatching(/^[\w-]{22}$/), mailHeld: false });
    expect(sessionSetCookie(response)).toBeUndefined();
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('perso_signup='))!;
    expect(cookie).toMatch(/^perso_signup=[\w-]{43}; Max-Age=86400; Path=\/; HttpOnly; SameSite=Lax$/);

    // No account exists until the email is verified.
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();
    const [mail, ...more] = h.outbox.messages;
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ to: 'ada@example.com', subject: 'Verify your email for Perso AI Platform' });
    expect(mail!.links).toEqual([expect.stringMatching(/^http:\/\/localhost:8787\/verify-email\?token=[\w-]{43}$/)]);
    expect(mail!.text).toContain(mail!.links[0]);
    expect(mail!.text).toMatch(/Verification code: \d{6}/);
    expect(mail!.html).toContain(h.lastCode('ada@example.com'));
  });

  it('writes the mail in Korean for locale "ko" or a Korean Accept-Language', async () => {
    h = createHarness();
    await signUp({ email: 'ko@example.com', password: PASSWORD, locale: 'ko' });
    await h.call('POST', '/api/signup', { email: 'accept@example.com', password: PASSWORD }, { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5' });
    for (const email of ['ko@example.com', 'accept@example.com']) {
      const [mail] = mailsTo(email);
      expect(mail!.subject).toBe('Perso AI Platform 이메일 인증');
      expect(mail!.text).toContain('인증 코드');
      expect(mail!.html).toContain('<html lang="ko">');
    }
  });

  it('answers an existing account byte for byte as a new one, and mails its owner instead', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com', PASSWORD);
    const fresh = await signUp({ email: 'grace@example.com', password: 'another password' }, h.newBrowser());
    const existing = await signUp({ email: 'ADA@example.com', password: 'a new password' }, h.newBrowser());
    expect(existing.status).toBe(fresh.status);
    const normalize = async (r: Response) => (await r.text()).replace(/"attempt":"[\w-]+"/, '"attempt":"…"');
    expect(await normalize(existing)).toBe(await normalize(fresh));
    expect([...existing.headers.keys()]).toEqual([...fresh.headers.keys()]);

    const [mail] = mailsTo('ada@example.com');
    expect(mail).toMatchObject({ subject: 'You already have a Perso AI Platform account', links: [ORIGIN, `${ORIGIN}/reset-password`] });
    expect(mail!.text).not.toMatch(/token=|\b\d{6}\b/);
    expect((await signIn('ada@example.com', PASSWORD, h.newBrowser())).status).toBe(200);
  });

  it.each([
    [{ email: 'not-an-email', password: PASSWORD }, ['email']],
    [{ email: `${'a'.repeat(250)}@example.com`, password: PASSWORD }, ['email']],
    [{ email: 'ada@example.com', password: '1234567' }, ['password']],
    [{ email: 'ada@example.com', password: 'x'.repeat(257) }, ['password']],
    [{}, ['email', 'password']],
    [{ email: 'ada@example.com', password: PASSWORD, redirect: 'javascript:alert(1)' }, ['redirect']],
    [{ email: 'ada@example.com', password: PASSWORD, locale: 'fr' }, ['locale']],
  ])('answers 422 validation_failed for %j, naming %j, and changes nothing', async (body, fields) => {
    h = createHarness();
    await expectError(await signUp(body), 422, 'validation_failed', fields);
    expect(await h.store.openAttempts('ada@example.com', h.clock.ms, 10)).toEqual([]);
    expect(h.outbox.messages).toEqual([]);
  });

  it('refuses a redirect outside the organization’s origins, an unknown organization and a closed method', async () => {
    h = createHarness({ config: testConfig({}, { organizations: [{ id: 'default', name: 'D' }, { id: 'closed', name: 'C', methods: { password: false } }] }) });
    await expectError(await signUp({ email: 'ada@example.com', password: PASSWORD, redirect: 'https://evil.example/welcome' }), 403, 'origin_not_allowed');
    await expectError(await signUp({ email: 'ada@example.com', password: PASSWORD, organization: 'nope' }), 404, 'unknown_organization');
    await expectError(await signUp({ email: 'ada@example.com', password: PASSWORD, organization: 'closed' }), 403, 'method_disabled');
    expect(h.outbox.messages).toEqual([]);
  });

  it('holds mail back after 5 mails an hour to one address, still answering 202, and lets the owner’s own attempt finish by code', async () => {
    h = createHarness();
    const attacker = h.newBrowser();
    for (let i = 0; i < 5; i++) expect(await (await signUp({ email: 'ada@example.com', password: `attacker pw ${i}` }, attacker)).json()).toMatchObject({ mailHeld: false });
    const owner = await signUp({ email: 'ada@example.com', password: PASSWORD });
    expect(owner.status).toBe(202);
    expect(await owner.clone().json()).toMatchObject({ mailHeld: true });
    expect(mailsTo('ada@example.com')).toHaveLength(5);
    // An hour later the owner's resend goes out, and completes the owner's attempt.
    h.clock.advance(HOUR);
    expect(await (await h.call('POST', '/api/verify-email/resend', { attempt: await attemptOf(owner) })).json()).toEqual({ status: 'verification_sent', mailHeld: false });
    const verified = await h.call('POST', '/api/verify-email', { attempt: await attemptOf(owner), code: h.lastCode('ada@example.com') });
    expect(verified.status).toBe(200);
  });

  it('puts the account in the organization it signed up with, checked against that organization’s origins', async () => {
    h = createHarness({
      config: testConfig({}, { organizations: [{ id: 'acme', name: 'Acme', allowedOrigins: ['https://app.acme.test'] }, { id: 'other', name: 'Other', allowedOrigins: ['https://other.test'] }] }),
    });
    await expectError(await h.call('POST', '/api/signup', { email: 'ada@example.com', password: PASSWORD, organization: 'acme' }, { origin: 'https://other.test' }), 403, 'origin_not_allowed');
    const response = await h.call('POST', '/api/signup', { email: 'ada@example.com', password: PASSWORD, organization: 'acme' }, { origin: 'https://app.acme.test' });
    expect(response.status).toBe(202);
    expect(mailsTo('ada@example.com')[0]!.subject).toBe('Verify your email for Acme');
    const verified = await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') });
    expect(await verified.json()).toMatchObject({ user: { organizationId: 'acme' } });
  });
});

describe('POST /api/verify-email', () => {
  it('completes the attempt with its link in its own browser: the account, the user, a session', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const response = await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') });
    expect(response.status).toBe(200);
    const { user } = (await response.json()) as { user: Record<string, unknown> };
    expect(user).toEqual({ id: expect.any(String), email: 'ada@example.com', emailVerified: true, organizationId: 'default', createdAt: new Date(h.clock.ms).toISOString() });
    expect(user.createdAt).toMatch(ISO);
    sessionCookie(response);
    expect(await (await h.call('GET', '/api/session')).json()).toEqual({ user });
    expect((await signIn('ada@example.com', PASSWORD, h.newBrowser())).status).toBe(200);
  });

  it('completes with the code and the attempt id from any browser (third-party cookies blocked)', async () => {
    h = createHarness();
    const attempt = await attemptOf(await signUp({ email: 'ada@example.com', password: PASSWORD }));
    const embed = h.newBrowser();
    const response = await embed.call('POST', '/api/verify-email', { attempt, code: h.lastCode('ada@example.com') });
    expect(response.status).toBe(200);
    expect(await session(embed)).toBe(200);
  });

  it('refuses the link from another browser with other_browser and changes nothing', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const token = h.lastToken('ada@example.com');
    const other = h.newBrowser();
    const refused = await other.call('POST', '/api/verify-email', { token });
    const error = await expectError(refused, 403, 'other_browser');
    expect(error.message).toBe('Open the link in the browser where you signed up, or enter the code from the email there.');
    expect(sessionSetCookie(refused)).toBeUndefined();
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();
    // The link still works where it belongs.
    expect((await h.call('POST', '/api/verify-email', { token })).status).toBe(200);
  });

  it('works once, and expires with its attempt after 24 hours', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const token = h.lastToken('ada@example.com');
    expect((await h.call('POST', '/api/verify-email', { token })).status).toBe(200);
    await expectError(await h.call('POST', '/api/verify-email', { token }), 400, 'invalid_token');

    const late = h.newBrowser();
    await signUp({ email: 'late@example.com', password: PASSWORD }, late);
    h.clock.advance(24 * HOUR);
    await expectError(await late.call('POST', '/api/verify-email', { token: h.lastToken('late@example.com') }), 400, 'token_expired');
    expect(await h.store.findUserByEmail('late@example.com')).toBeUndefined();
  });

  it('closes the attempt after 5 wrong codes: even the right code then fails', async () => {
    h = createHarness();
    const attempt = await attemptOf(await signUp({ email: 'ada@example.com', password: PASSWORD }));
    const code = h.lastCode('ada@example.com');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) await expectError(await h.call('POST', '/api/verify-email', { attempt, code: wrong }), 400, 'invalid_code');
    await expectError(await h.call('POST', '/api/verify-email', { attempt, code: wrong }), 400, 'attempt_closed');
    await expectError(await h.call('POST', '/api/verify-email', { attempt, code }), 400, 'attempt_closed');
    await expectError(await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') }), 400, 'invalid_token');
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();
  });

  it('never completes another attempt with a code', async () => {
    h = createHarness();
    const mine = await attemptOf(await signUp({ email: 'ada@example.com', password: PASSWORD }));
    const myCode = h.lastCode('ada@example.com');
    const theirs = await attemptOf(await signUp({ email: 'grace@example.com', password: PASSWORD }, h.newBrowser()));
    await expectError(await h.call('POST', '/api/verify-email', { attempt: theirs, code: myCode }), 400, 'invalid_code');
    expect(await h.store.findUserByEmail('grace@example.com')).toBeUndefined();
    expect((await h.call('POST', '/api/verify-email', { attempt: mine, code: myCode })).status).toBe(200);
  });

  it('answers 422 for a body with neither a token nor an attempt and code, and for a malformed code', async () => {
    h = createHarness();
    await expectError(await h.call('POST', '/api/verify-email', {}), 422, 'validation_failed', ['token']);
    await expectError(await h.call('POST', '/api/verify-email', { token: '' }), 422, 'validation_failed', ['token']);
    await expectError(await h.call('POST', '/api/verify-email', { attempt: 'a' }), 422, 'validation_failed', ['code']);
    await expectError(await h.call('POST', '/api/verify-email', { attempt: 'a', code: '12ab56' }), 422, 'validation_failed', ['code']);
    await expectError(await h.call('POST', '/api/verify-email', { token: 'x'.repeat(43) }), 400, 'invalid_token');
    await expectError(await h.call('POST', '/api/verify-email', { attempt: 'nope', code: '123456' }), 400, 'attempt_closed');
  });
});

describe('the link’s pages', () => {
  const open = (b: Browser, token: string, method = 'GET') => b.call(method, `/verify-email?token=${encodeURIComponent(token)}`);

  it('GET and HEAD show a page that confirms by POST and change nothing; the POST signs in and shows "Continue"', async () => {
    h = createHarness({ config: testConfig({ PERSO_APP_URL: 'http://localhost:8787/app' }) });
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const token = h.lastToken('ada@example.com');
    for (const method of ['GET', 'HEAD', 'GET']) {
      const response = await open(h, token, method);
      expect(response.status).toBe(200);
      expect(sessionSetCookie(response)).toBeUndefined();
    }
    const page = await (await open(h, token)).text();
    expect(page).toContain('<form method="post" action="/verify-email" data-autosubmit');
    expect(page).toContain(`name="token" value="${token}"`);
    expect(page).toContain('<script type="module" src="/pages/perso-pages.js"></script>');
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();

    const confirmed = await h.submitForm('/verify-email', { token });
    expect(confirmed.status).toBe(200);
    const done = await confirmed.text();
    expect(done).toContain('<title>Email verified</title>');
    expect(done).toContain('href="http://localhost:8787/app"');
    expect(done).toContain('data-signed-in');
    expect(await session(h)).toBe(200);
    const script = await h.call('GET', '/pages/perso-pages.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain("new BroadcastChannel('perso-session')");
  });

  it('says what to do next for another browser, a used link, an expired link (with a resend button) and an unknown one — never JSON', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const token = h.lastToken('ada@example.com');
    const other = await open(h.newBrowser(), token);
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('Open the link in the browser where you signed up, or enter the code from the email there.');
    const foreignPost = await h.newBrowser().submitForm('/verify-email', { token });
    expect(foreignPost.status).toBe(403);
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();

    expect((await h.submitForm('/verify-email', { token })).status).toBe(200);
    const used = await open(h, token);
    expect(used.status).toBe(400);
    expect(await used.text()).toContain('not valid or was already used');

    const late = h.newBrowser();
    await signUp({ email: 'late@example.com', password: PASSWORD }, late);
    const lateToken = h.lastToken('late@example.com');
    h.clock.advance(25 * HOUR);
    const expired = await open(late, lateToken);
    expect(expired.status).toBe(400);
    const expiredPage = await expired.text();
    expect(expiredPage).toContain('This verification link has expired.');
    expect(expiredPage).toContain('<form method="post" action="/verify-email/resend">');
    const resent = await late.submitForm('/verify-email/resend', { token: lateToken });
    expect(resent.status).toBe(202);
    expect(await resent.text()).toContain('we sent a new email');
    expect((await late.submitForm('/verify-email', { token: h.lastToken('late@example.com') })).status).toBe(200);

    for (const bad of ['', 'x'.repeat(43), 't'.repeat(5000)]) {
      const response = await open(h.newBrowser(), bad);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('<title>Verification failed</title>');
    }
  });

  it('refuses a form post from another origin (login CSRF) and one without Origin', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    const token = h.lastToken('ada@example.com');
    const body = new URLSearchParams({ token }).toString();
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await h.call('POST', '/verify-email', body, { ...form, origin: 'https://evil.example' })).status).toBe(403);
    expect((await h.app.request('/verify-email', { method: 'POST', body, headers: { ...form, cookie: h.signupCookie! } })).status).toBe(403);
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();
  });

  it('speaks Korean to a Korean sign-up', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD, locale: 'ko' });
    const page = await (await open(h, h.lastToken('ada@example.com'))).text();
    expect(page).toContain('<html lang="ko">');
    expect(page).toContain('이메일 인증하기');
  });
});

describe('POST /api/verify-email/resend', () => {
  it('re-sends the requester’s own attempt, by id or by cookie, with a new link and code replacing the old', async () => {
    h = createHarness();
    const attempt = await attemptOf(await signUp({ email: 'ada@example.com', password: PASSWORD }));
    const [firstToken, firstCode] = [h.lastToken('ada@example.com'), h.lastCode('ada@example.com')];
    expect(await (await h.call('POST', '/api/verify-email/resend', {})).json()).toEqual({ status: 'verification_sent', mailHeld: false });
    expect(mailsTo('ada@example.com')).toHaveLength(2);
    await h.newBrowser().call('POST', '/api/verify-email/resend', { attempt });
    expect(mailsTo('ada@example.com')).toHaveLength(3);
    expect(h.lastToken('ada@example.com')).not.toBe(firstToken);
    await expectError(await h.call('POST', '/api/verify-email', { token: firstToken }), 400, 'invalid_token');
    if (h.lastCode('ada@example.com') !== firstCode) await expectError(await h.call('POST', '/api/verify-email', { attempt, code: firstCode }), 400, 'invalid_code');
    expect((await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') })).status).toBe(200);
  });

  it('answers 202 and sends nothing for an unknown attempt or a browser without one', async () => {
    h = createHarness();
    for (const body of [{ attempt: 'unknown' }, {}]) {
      const response = await h.call('POST', '/api/verify-email/resend', body);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ status: 'verification_sent', mailHeld: false });
    }
    expect(h.outbox.messages).toEqual([]);
  });

  it('gives an expired attempt another day', async () => {
    h = createHarness();
    await signUp({ email: 'ada@example.com', password: PASSWORD });
    h.clock.advance(25 * HOUR);
    await expectError(await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') }), 400, 'token_expired');
    await h.call('POST', '/api/verify-email/resend', {});
    expect((await h.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') })).status).toBe(200);
    expect((await signIn('ada@example.com', PASSWORD, h.newBrowser())).status).toBe(200);
  });

  it('answers 429 with Retry-After after 20 resends from one address', async () => {
    h = createHarness();
    for (let i = 0; i < 20; i++) expect((await h.call('POST', '/api/verify-email/resend', {})).status).toBe(202);
    const limited = await h.call('POST', '/api/verify-email/resend', {});
    await expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('sign-in during a sign-up', () => {
  it('answers email_not_verified with the attempt for its password, then the code completes it', async () => {
    h = createHarness();
    const attempt = await attemptOf(await signUp({ email: 'ada@example.com', password: PASSWORD }));
    const other = h.newBrowser();
    const error = (await (await signIn('ada@example.com', PASSWORD, other)).json()) as { error: Record<string, string> };
    expect(error).toEqual({ error: { code: 'email_not_verified', message: expect.stringMatching(/^Verify your email/), attempt } });
    await expectError(await signIn('ada@example.com', 'not the password', other), 401, 'invalid_credentials');
    expect((await other.call('POST', '/api/verify-email', { attempt, code: h.lastCode('ada@example.com') })).status).toBe(200);
  });

  it('with an account too: the right account password wins, an attempt’s password answers email_not_verified', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com', PASSWORD);
    const stranger = h.newBrowser();
    const attempt = await attemptOf(await signUp({ email: 'ada@example.com', password: 'stranger password' }, stranger));
    const refused = (await (await signIn('ada@example.com', 'stranger password', stranger)).json()) as { error: Record<string, string> };
    expect(refused.error).toMatchObject({ code: 'email_not_verified', attempt });
    expect((await signIn('ada@example.com', PASSWORD, h.newBrowser())).status).toBe(200);
    // The stranger's attempt has no link or code to complete it with.
    expect(mailsTo('ada@example.com').at(0)!.subject).toBe('You already have a Perso AI Platform account');
  });
});

/**
 * The takeover matrix: whoever signs up with someone else's address gets a mail into that
 * mailbox; whatever the owner clicks, the attacker's password must never open the account,
 * and the owner's always must once the owner verifies.
 */
describe('account takeover before verification', () => {
  type Order = 'attacker first' | 'owner first';
  type Click = 'own mail' | 'the other mail' | 'a resent mail';
  const ATTACKER_PW = 'attacker password';

  async function scenario(order: Order, click: Click) {
    h = createHarness();
    const owner = h.newBrowser();
    const attacker = h.newBrowser();
    const byOwner = () => signUp({ email: 'victim@example.com', password: PASSWORD }, owner);
    const byAttacker = () => signUp({ email: 'victim@example.com', password: ATTACKER_PW }, attacker);
    let ownerMail = '';
    let attackerMail = '';
    if (order === 'attacker first') {
      await byAttacker();
      attackerMail = h.lastToken('victim@example.com');
      await byOwner();
      ownerMail = h.lastToken('victim@example.com');
    } else {
      await byOwner();
      ownerMail = h.lastToken('victim@example.com');
      await byAttacker();
      attackerMail = h.lastToken('victim@example.com');
    }
    // The owner clicks in the owner's browser.
    let link = ownerMail;
    if (click === 'the other mail') link = attackerMail;
    if (click === 'a resent mail') {
      await owner.call('POST', '/api/verify-email/resend', {});
      link = h.lastToken('victim@example.com');
    }
    const clicked = await owner.submitForm('/verify-email', { token: link });
    return { clicked: clicked.status };
  }

  const orders: Order[] = ['attacker first', 'owner first'];
  const clicks: Click[] = ['own mail', 'the other mail', 'a resent mail'];
  for (const order of orders)
    for (const click of clicks)
      it(`${order}, owner clicks ${click}: the attacker's password never opens the account`, async () => {
        const { clicked } = await scenario(order, click);
        const fresh = h.newBrowser();
        // Refused either way: 403 while the attacker's attempt is the newest open one, else 401.
        const tried = await signIn('victim@example.com', ATTACKER_PW, fresh);
        expect([401, 403]).toContain(tried.status);
        expect(sessionSetCookie(tried)).toBeUndefined();
        expect(await session(fresh)).toBe(401);
        if (click === 'the other mail') {
          // The attacker's link does nothing in the owner's browser; the owner then verifies with their own mail.
          expect(clicked).toBe(403);
          expect(await h.store.findUserByEmail('victim@example.com')).toBeUndefined();
          const owner = h.newBrowser();
          await signUp({ email: 'victim@example.com', password: PASSWORD }, owner);
          expect((await owner.submitForm('/verify-email', { token: h.lastToken('victim@example.com') })).status).toBe(200);
        } else {
          expect(clicked).toBe(200);
        }
        expect((await signIn('victim@example.com', PASSWORD, h.newBrowser())).status).toBe(200);
        await expectError(await signIn('victim@example.com', ATTACKER_PW, h.newBrowser()), 401, 'invalid_credentials');
      });

  it('attacker only, owner clicks the attacker’s mail: nothing happens, the owner signs up later and owns the account', async () => {
    h = createHarness();
    const attacker = h.newBrowser();
    await signUp({ email: 'victim@example.com', password: ATTACKER_PW }, attacker);
    const token = h.lastToken('victim@example.com');
    const owner = h.newBrowser();
    for (const method of ['HEAD', 'GET']) expect((await owner.call(method, `/verify-email?token=${token}`)).status).toBe(403);
    expect((await owner.submitForm('/verify-email', { token })).status).toBe(403);
    expect((await owner.call('POST', '/api/verify-email', { token })).status).toBe(403);
    expect(await h.store.findUserByEmail('victim@example.com')).toBeUndefined();
    expect(await session(owner)).toBe(401);
    expect(await session(attacker)).toBe(401);

    await signUp({ email: 'victim@example.com', password: PASSWORD }, owner);
    expect((await owner.submitForm('/verify-email', { token: h.lastToken('victim@example.com') })).status).toBe(200);
    // The attacker's attempt ended with the owner's completion: its link is dead, its password gone.
    expect((await attacker.submitForm('/verify-email', { token })).status).toBe(400);
    await expectError(await signIn('victim@example.com', ATTACKER_PW, h.newBrowser()), 401, 'invalid_credentials');
  });

  it('an attacker’s link opened in the owner’s signed-in browser changes nothing (no login CSRF)', async () => {
    h = createHarness();
    await h.signUpVerified('owner@example.com', PASSWORD);
    const attacker = h.newBrowser();
    await signUp({ email: 'attacker@example.com', password: ATTACKER_PW }, attacker);
    const attackersLink = h.lastToken('attacker@example.com');
    for (const method of ['HEAD', 'GET']) await h.call(method, `/verify-email?token=${attackersLink}`);
    expect((await h.submitForm('/verify-email', { token: attackersLink })).status).toBe(403);
    expect(await (await h.call('GET', '/api/session')).json()).toMatchObject({ user: { email: 'owner@example.com' } });
    expect(await h.store.findUserByEmail('attacker@example.com')).toBeUndefined();
  });
});

describe('tenant isolation', () => {
  it('judges a signed-in request by the session user’s organization’s origins, for CORS and CSRF alike', async () => {
    h = createHarness({
      config: testConfig({}, { organizations: [{ id: 'default', name: 'D', allowedOrigins: ['https://d.test'] }, { id: 'acme', name: 'Acme', allowedOrigins: ['https://acme.test'] }] }),
    });
    await h.signUpVerified('ada@example.com', PASSWORD);
    const own = await h.call('GET', '/api/session', undefined, { origin: 'https://d.test' });
    expect(own.headers.get('access-control-allow-origin')).toBe('https://d.test');
    const foreign = await h.call('GET', '/api/session', undefined, { origin: 'https://acme.test' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    await expectError(await h.call('POST', '/api/keys', { name: 'k' }, { origin: 'https://acme.test' }), 403, 'origin_not_allowed');
    expect((await h.call('POST', '/api/keys', { name: 'k' }, { origin: 'https://d.test' })).status).toBe(201);
    // Signing in from another organization's site fails only after the right password.
    await expectError(await signIn('ada@example.com', 'wrong password', h.newBrowser()), 401, 'invalid_credentials');
    const b = h.newBrowser();
    await expectError(await b.call('POST', '/api/signin', { email: 'ada@example.com', password: PASSWORD }, { origin: 'https://acme.test' }), 403, 'origin_not_allowed');
  });

  it('never completes an attempt of one organization into an account of another', async () => {
    h = createHarness({ config: testConfig({}, { organizations: [{ id: 'default', name: 'D' }, { id: 'acme', name: 'Acme' }] }) });
    await h.signUpVerified('ada@example.com', PASSWORD);
    const other = h.newBrowser();
    const attempt = await attemptOf(await signUp({ email: 'ada@example.com', password: 'acme password', organization: 'acme' }, other));
    expect(mailsTo('ada@example.com')[0]!.subject).toBe('You already have a Acme account');
    await expectError(await other.call('POST', '/api/verify-email', { attempt, code: '123456' }), 400, 'invalid_code');
    expect(await h.store.findUserByEmail('ada@example.com')).toMatchObject({ organizationId: 'default' });
  });
});

describe('secrets at rest', () => {
  it('the database never holds a password, session id, link token or sent code in clear', async () => {
    h = createHarness();
    const password = 'Unmistakable-Password-42';
    await signUp({ email: 'ada@example.com', password });
    const token = h.lastToken('ada@example.com');
    const code = h.lastCode('ada@example.com');
    const verified = await h.call('POST', '/api/verify-email', { token });
    const firstSession = sessionCookie(verified).split('=')[1]!;
    const signedIn = await signIn('ada@example.com', password, h.newBrowser());
    const secondSession = sessionCookie(signedIn).split('=')[1]!;
    const binding = h.signupCookie!.split('=')[1]!;

    const bytes = await h.databaseBytes();
    expect(bytes.includes(sha256Hex(secondSession))).toBe(true);
    expect(bytes.includes(sha256Hex(binding))).toBe(true);
    for (const [name, secret] of Object.entries({ password, token, firstSession, secondSession, binding, code: `Verification code: ${code}` })) {
      expect(bytes.includes(secret), name).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), name).toBe(false);
    }
  });
});
