import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SoftAuthenticator } from './authenticator.js';
import { expectError, sessionCookie } from './expect.js';
import { createHarness, type Harness, ORIGIN } from './helpers.js';
import { Browser, passkeyHarness } from './passkeys.helpers.js';

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let h: Harness;
beforeEach(() => {
  h = passkeyHarness();
});
afterEach(() => h.close());

describe('passkey options', () => {
  it('reports the method only where the organization enables it', async () => {
    expect(((await (await h.call('GET', '/api/config')).json()) as { methods: { passkey: boolean } }).methods.passkey).toBe(true);
    const off = createHarness();
    try {
      expect(((await (await off.call('GET', '/api/config')).json()) as { methods: { passkey: boolean } }).methods.passkey).toBe(false);
      await expectError(await off.call('POST', '/api/passkeys/signup/options', { email: 'ada@example.com' }), 403, 'method_disabled');
      await expectError(await off.call('POST', '/api/passkeys/signin/options', {}), 403, 'method_disabled');
    } finally {
      await off.close();
    }
  });

  it('asks for a resident key on the bare host, and binds the challenge to this browser for 5 minutes', async () => {
    const response = await h.call('POST', '/api/passkeys/signup/options', { email: 'Ada@Example.com' });
    expect(response.status).toBe(200);
    const { options } = (await response.json()) as { options: Record<string, any> };
    expect(options.rp).toEqual({ id: 'localhost', name: 'Perso' });
    expect(options.user.name).toBe('ada@example.com');
    expect(Buffer.from(options.user.id, 'base64url')).toHaveLength(16);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' });
    expect(options.attestation).toBe('none');
    expect(options.excludeCredentials).toEqual([]);
    expect(Buffer.from(options.challenge, 'base64url').length).toBeGreaterThanOrEqual(16);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('perso_webauthn='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Path=\/api\/passkeys/);
    expect(cookie).toMatch(/Max-Age=300/);
  });

  it('gives an existing email the same options as a new one', async () => {
    const owner = new Browser(h);
    await owner.signedUpWithPasskey('owner@example.com');
    const stranger = new Browser(h);
    const existing = await stranger.options('/api/passkeys/signup/options', { email: 'owner@example.com' });
    const fresh = await stranger.options('/api/passkeys/signup/options', { email: 'new@example.com' });
    expect(Object.keys(existing).sort()).toEqual(Object.keys(fresh).sort());
    expect(existing.excludeCredentials).toEqual([]);
  });

  it('asks sign-in for a discoverable credential: no credential named', async () => {
    const options = await new Browser(h).options('/api/passkeys/signin/options');
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'preferred' });
    expect(options.allowCredentials ?? []).toEqual([]);
  });

  it('takes the relying party id and name from PERSO_RP_ID and PERSO_RP_NAME', async () => {
    const { testConfig } = await import('./helpers.js');
    const config = testConfig(
      { PERSO_PUBLIC_URL: 'https://auth.example.com', PERSO_RP_ID: 'example.com', PERSO_RP_NAME: 'Example' },
      { organizations: [{ id: 'default', name: 'Perso', methods: { passkey: true } }] },
    );
    const other = createHarness({ config });
    try {
      const response = await other.call('POST', '/api/passkeys/signup/options', { email: 'ada@example.com' }, { origin: 'https://auth.example.com' });
      const { options } = (await response.json()) as { options: { rp: unknown } };
      expect(options.rp).toEqual({ id: 'example.com', name: 'Example' });
    } finally {
      await other.close();
    }
  });
});

describe('passkey sign-up is a sign-up attempt', () => {
  it('creates the account with its passkey only when the link is opened in the same browser', async () => {
    const browser = new Browser(h);
    const response = await browser.call('POST', '/api/passkeys/signup/verify', { email: 'ada@example.com', response: await browser.passkeyForSignUp('ada@example.com') }, { 'user-agent': CHROME_LINUX });
    expect(response.status).toBe(202);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ status: 'verification_sent', attempt: expect.any(String), mailHeld: false });
    expect(browser.signup).toMatch(/^perso_signup=/);
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();

    const elsewhere = new Browser(h);
    await expectError(await elsewhere.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') }), 403, 'other_browser');
    expect(await h.store.findUserByEmail('ada@example.com')).toBeUndefined();

    const verified = await browser.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') });
    expect(verified.status).toBe(200);
    const user = (await h.store.findUserByEmail('ada@example.com'))!;
    expect(user.passwordHash).toBeNull();
    const passkeys = await browser.passkeys();
    expect(passkeys).toEqual([
      { id: expect.any(String), name: 'Chrome on Linux', credentialId: browser.authenticator.credentials[0]!.id.toString('base64url'), deviceType: 'singleDevice', backedUp: false, createdAt: '2026-11-26T12:00:00.000Z', lastUsedAt: null },
    ]);
  });

  it('is completed by its code, sent with its attempt id', async () => {
    const browser = new Browser(h);
    const { attempt } = await browser.signUpWithPasskey('code@example.com');
    const response = await new Browser(h).call('POST', '/api/verify-email', { attempt, code: h.lastCode('code@example.com') });
    expect(response.status).toBe(200);
    expect(await h.store.listPasskeys((await h.store.findUserByEmail('code@example.com'))!.id)).toHaveLength(1);
  });

  it('never adds the passkey to an existing account: the owner gets the "already have an account" mail', async () => {
    const owner = await h.signUpVerified('owner@example.com', 'correct horse battery');
    const stranger = new Browser(h);
    const mailsBefore = h.outbox.messages.length;
    const { attempt } = await stranger.signUpWithPasskey('owner@example.com');
    expect(attempt).toEqual(expect.any(String));
    expect(h.outbox.messages).toHaveLength(mailsBefore + 1);
    expect(h.outbox.messages[0]!.subject).toBe('You already have a Perso account');
    expect(h.outbox.messages[0]!.text).not.toMatch(/\b\d{6}\b/);

    // Nothing the stranger holds completes it: no code was mailed, and a guess is refused as for any sign-up.
    await expectError(await stranger.call('POST', '/api/verify-email', { attempt, code: '123456' }), 400, 'invalid_code');
    expect(await h.store.listPasskeys(owner.id)).toEqual([]);
    await expectError(await stranger.signInWithPasskey(), 401, 'passkey_unknown');
    expect((await h.call('POST', '/api/signin', { email: 'owner@example.com', password: 'correct horse battery' })).status).toBe(200);
  });

  it('never completes into a second account a passkey that another account holds meanwhile', async () => {
    const owner = new Browser(h);
    await owner.signUpWithPasskey('ada@example.com');
    const forger = new Browser(h);
    const options = await forger.options('/api/passkeys/signup/options', { email: 'eve@example.com' });
    const forged = forger.authenticator.register(options, { credentialId: owner.authenticator.credentials[0]!.id });
    const { attempt } = (await (await forger.call('POST', '/api/passkeys/signup/verify', { email: 'eve@example.com', response: forged })).json()) as { attempt: string };
    expect((await owner.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') })).status).toBe(200);
    await expectError(await forger.call('POST', '/api/verify-email', { attempt, code: h.lastCode('eve@example.com') }), 400, 'attempt_closed');
    expect(await h.store.findUserByEmail('eve@example.com')).toBeUndefined();
  });

  it('answers a new and an existing email alike', async () => {
    await h.signUpVerified('owner@example.com');
    const shapes = [];
    for (const email of ['owner@example.com', 'nobody@example.com']) {
      const browser = new Browser(h);
      const response = await browser.call('POST', '/api/passkeys/signup/verify', { email, response: await browser.passkeyForSignUp(email) });
      const body = (await response.json()) as Record<string, unknown>;
      shapes.push({ status: response.status, keys: Object.keys(body), state: body.status, mailHeld: body.mailHeld, cookies: response.headers.getSetCookie().map((l) => l.split('=')[0]) });
    }
    expect(shapes[0]).toEqual(shapes[1]);
  });
});

describe('challenges', () => {
  it('are single use', async () => {
    const browser = new Browser(h);
    const response = await browser.passkeyForSignUp('ada@example.com');
    expect((await browser.call('POST', '/api/passkeys/signup/verify', { email: 'ada@example.com', response })).status).toBe(202);
    await expectError(await browser.call('POST', '/api/passkeys/signup/verify', { email: 'ada@example.com', response }), 400, 'invalid_challenge');

    await browser.call('POST', '/api/verify-email', { token: h.lastToken('ada@example.com') });
    const options = await browser.options('/api/passkeys/signin/options');
    const assertion = browser.authenticator.authenticate(options);
    expect((await browser.call('POST', '/api/passkeys/signin/verify', { response: assertion })).status).toBe(200);
    await expectError(await browser.call('POST', '/api/passkeys/signin/verify', { response: assertion }), 400, 'invalid_challenge');
  });

  it('expire after 5 minutes', async () => {
    const browser = new Browser(h);
    const response = await browser.passkeyForSignUp('ada@example.com');
    h.clock.advance(5 * 60_000);
    await expectError(await browser.call('POST', '/api/passkeys/signup/verify', { email: 'ada@example.com', response }), 400, 'invalid_challenge');
    expect(h.outbox.messages).toHaveLength(0);
  });

  it('are refused from another browser, and for another email than they were asked for', async () => {
    const browser = new Browser(h);
    const response = await browser.passkeyForSignUp('ada@example.com');
    await expectError(await new Browser(h).call('POST', '/api/passkeys/signup/verify', { email: 'ada@example.com', response }), 400, 'invalid_challenge');
    const other = await browser.passkeyForSignUp('ada@example.com');
    await expectError(await browser.call('POST', '/api/passkeys/signup/verify', { email: 'eve@example.com', response: other }), 400, 'invalid_challenge');
    expect(h.outbox.messages).toHaveLength(0);
  });

  it('of one kind do not answer another', async () => {
    const browser = new Browser(h);
    await browser.signedUpWithPasskey('ada@example.com');
    const signIn = await browser.options('/api/passkeys/signin/options');
    const forged = browser.authenticator.register({ ...signIn, rp: { id: 'localhost' }, user: { id: 'AAAA' } });
    await expectError(await browser.call('POST', '/api/passkeys', { response: forged }), 400, 'invalid_challenge');
  });
});

describe('what a response must match', () => {
  it('refuses a sign-up from another origin or for another relying party', async () => {
    for (const bend of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }]) {
      const browser = new Browser(h);
      const options = await browser.options('/api/passkeys/signup/options', { email: 'ada@example.com' });
      const response = browser.authenticator.register(options, bend);
      await expectError(await browser.call('POST', '/api/passkeys/signup/verify', { email: 'ada@example.com', response }), 400, 'passkey_rejected');
    }
    expect(h.outbox.messages).toHaveLength(0);
  });

  it('refuses a sign-in from another origin or for another relying party', async () => {
    const browser = new Browser(h);
    await browser.signedUpWithPasskey('ada@example.com');
    browser.session = undefined;
    for (const bend of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }]) {
      await expectError(await browser.signInWithPasskey(bend), 400, 'passkey_rejected');
    }
    expect(browser.session).toBeUndefined();
  });

  it('refuses a signature counter that goes back, and keeps the one seen', async () => {
    const browser = new Browser(h);
    const user = await browser.signedUpWithPasskey('ada@example.com');
    expect((await browser.signInWithPasskey()).status).toBe(200);
    expect((await browser.signInWithPasskey()).status).toBe(200);
    const [stored] = await h.store.listPasskeys(user.id);
    expect(stored!.counter).toBe(2);
    await expectError(await browser.signInWithPasskey({ counter: 1 }), 400, 'passkey_rejected');
    await expectError(await browser.signInWithPasskey({ counter: 2 }), 400, 'passkey_rejected');
    expect((await h.store.listPasskeys(user.id))[0]!.counter).toBe(2);
  });

  it('accepts authenticators that never count', async () => {
    const browser = new Browser(h, new SoftAuthenticator(ORIGIN, false));
    await browser.signedUpWithPasskey('ada@example.com');
    expect((await browser.signInWithPasskey()).status).toBe(200);
    expect((await browser.signInWithPasskey()).status).toBe(200);
  });

  it('answers bad input with 422 and changes nothing', async () => {
    const browser = new Browser(h);
    await browser.options('/api/passkeys/signup/options', { email: 'ada@example.com' });
    const bad = await browser.call('POST', '/api/passkeys/signup/verify', { email: 'ada@example.com', response: { id: 'x', type: 'public-key' } });
    await expectError(bad, 422, 'validation_failed', ['response.rawId', 'response.response']);
    await expectError(await browser.call('POST', '/api/passkeys/signup/options', { email: 'not an email' }), 422, 'validation_failed', ['email']);
    await expectError(await browser.call('POST', '/api/passkeys/signin/verify', { response: 'nope' }), 422, 'validation_failed', ['response']);
    expect(h.outbox.messages).toHaveLength(0);
  });
});

describe('passkey sign-in', () => {
  it('signs in with a new session and records the use', async () => {
    const browser = new Browser(h);
    await browser.signedUpWithPasskey('ada@example.com');
    const before = browser.session;
    browser.session = undefined;
    h.clock.advance(60_000);
    const response = await browser.signInWithPasskey();
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: { email: string } }).user.email).toBe('ada@example.com');
    expect(sessionCookie(response)).not.toBe(before);
    expect((await browser.passkeys())[0]!.lastUsedAt).toBe('2026-11-26T12:01:00.000Z');
  });

  it('refuses a passkey that is registered nowhere', async () => {
    const browser = new Browser(h);
    await browser.passkeyForSignUp('ghost@example.com');
    await expectError(await browser.signInWithPasskey(), 401, 'passkey_unknown');
  });
});

describe('managing passkeys', () => {
  it('needs a session', async () => {
    await expectError(await h.call('GET', '/api/passkeys'), 401, 'unauthenticated');
    await expectError(await h.call('POST', '/api/passkeys/options'), 401, 'unauthenticated');
    await expectError(await h.call('DELETE', '/api/passkeys/whatever'), 401, 'unauthenticated');
  });

  it('adds a passkey under the same user handle, excluding the ones registered', async () => {
    const browser = new Browser(h);
    await browser.signedUpWithPasskey('ada@example.com');
    const [first] = browser.authenticator.credentials;
    const options = await browser.options('/api/passkeys/options');
    expect(options.user).toMatchObject({ id: first!.userHandle, name: 'ada@example.com' });
    expect(options.excludeCredentials).toEqual([{ id: first!.id.toString('base64url'), type: 'public-key', transports: ['internal'] }]);
    const laptop = new SoftAuthenticator(ORIGIN);
    const added = await browser.call('POST', '/api/passkeys', { response: laptop.register(options) }, { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15' });
    expect(added.status).toBe(201);
    expect(((await added.json()) as { passkey: { name: string } }).passkey.name).toBe('Safari on macOS');
    expect(await browser.passkeys()).toHaveLength(2);

    browser.session = undefined;
    const signIn = await browser.options('/api/passkeys/signin/options');
    expect((await browser.call('POST', '/api/passkeys/signin/verify', { response: laptop.authenticate(signIn) })).status).toBe(200);
  });

  it('refuses a registered credential a second time', async () => {
    const browser = new Browser(h);
    await browser.signedUpWithPasskey('ada@example.com');
    const options = await browser.options('/api/passkeys/options');
    // A forged registration claiming the credential id of a passkey registered already.
    const response = new SoftAuthenticator(ORIGIN).register(options, { credentialId: browser.authenticator.credentials[0]!.id });
    await expectError(await browser.call('POST', '/api/passkeys', { response }), 409, 'passkey_exists');
    expect(await browser.passkeys()).toHaveLength(1);
  });

  it("removes the user's own passkeys but never the last way to sign in", async () => {
    const browser = new Browser(h);
    await browser.signedUpWithPasskey('ada@example.com');
    const [only] = await browser.passkeys();
    await expectError(await browser.call('DELETE', `/api/passkeys/${only!.id}`), 409, 'last_sign_in_method');
    expect((await browser.addPasskey(new SoftAuthenticator(ORIGIN))).status).toBe(201);
    expect((await browser.call('DELETE', `/api/passkeys/${only!.id}`)).status).toBe(204);
    const [remaining] = await browser.passkeys();
    await expectError(await browser.call('DELETE', `/api/passkeys/${remaining!.id}`), 409, 'last_sign_in_method');
    expect(await browser.passkeys()).toHaveLength(1);
  });

  it("answers 404 for another user's passkey and leaves it", async () => {
    const ada = new Browser(h);
    await ada.signedUpWithPasskey('ada@example.com');
    await ada.addPasskey(new SoftAuthenticator(ORIGIN));
    const [target] = await ada.passkeys();
    const eve = new Browser(h);
    await eve.signedUpWithPasskey('eve@example.com');
    await expectError(await eve.call('DELETE', `/api/passkeys/${target!.id}`), 404, 'not_found');
    await expectError(await eve.call('DELETE', '/api/passkeys/no-such-id'), 404, 'not_found');
    expect(await ada.passkeys()).toHaveLength(2);
  });

  it('lets an account with a password remove its only passkey', async () => {
    await h.signUpVerified('pw@example.com');
    const browser = new Browser(h);
    browser.session = h.cookie;
    expect((await browser.addPasskey()).status).toBe(201);
    const [passkey] = await browser.passkeys();
    expect((await browser.call('DELETE', `/api/passkeys/${passkey!.id}`)).status).toBe(204);
    expect(await browser.passkeys()).toEqual([]);
  });

  it('are all in the OpenAPI document', async () => {
    const { paths } = (await (await h.call('GET', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(paths['/api/passkeys']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/passkeys/{id}']!)).toEqual(['delete']);
    for (const path of ['/api/passkeys/options', '/api/passkeys/signup/options', '/api/passkeys/signup/verify', '/api/passkeys/signin/options', '/api/passkeys/signin/verify']) {
      expect(Object.keys(paths[path]!)).toEqual(['post']);
    }
  });
});
