import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOAuthClients, type OAuthClients } from '../../server/auth/oauth-client.js';
import type { AppConfig } from '../../server/config.js';
import { githubEnv, type GithubMock, startGithubMock } from './github-mock.js';
import { type Browser, createHarness, type Harness, ORIGIN, testConfig } from './helpers.js';
import { oidcEnv, type OidcTestProvider, startOidcProvider } from './oidc-provider.js';
import { loginAtProvider } from './provider-login.js';

const APP = `${ORIGIN}/app`;
let oidc: OidcTestProvider;
let github: GithubMock;
let config: AppConfig;
let h: Harness;

beforeAll(async () => {
  [oidc, github] = await Promise.all([startOidcProvider({ redirectUri: `${ORIGIN}/api/oauth/oidc/callback` }), startGithubMock()]);
  config = testConfig({ ...oidcEnv(oidc), ...githubEnv(github) });
});
afterAll(async () => {
  await Promise.all([oidc?.stop(), github?.stop()]);
});
beforeEach(() => {
  github.tokenMode = 'ok';
  github.tokenRequests.length = 0;
  // A short provider timeout, so the timing-out provider test takes a second, not ten.
  h = createHarness({ config, oauth: createOAuthClients(config, { timeoutS: 1 }) });
});
afterEach(() => h.close());

const callbackPrefix = (provider: string) => `${ORIGIN}/api/oauth/${provider}/callback`;

async function start(browser: Browser, provider: string, returnTo = APP): Promise<URL> {
  const response = await browser.call('GET', `/api/oauth/${provider}/start?return_to=${encodeURIComponent(returnTo)}`);
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

/** The server's answer to the provider sending `browser` back to `callback`. */
async function back(browser: Browser, callback: URL): Promise<URL> {
  const response = await browser.call('GET', `${callback.pathname}${callback.search}`);
  expect(response.status).toBe(303);
  return new URL(response.headers.get('location')!);
}

/** Start → log in at the provider's page as `login` → back at the callback. */
async function signInWith(browser: Browser, provider: 'oidc' | 'github', login: string): Promise<URL> {
  const authorize = await start(browser, provider);
  return back(browser, await loginAtProvider(authorize.toString(), login, callbackPrefix(provider)));
}

async function session(browser: Browser): Promise<{ id: string; email: string; emailVerified: boolean } | undefined> {
  const response = await browser.call('GET', '/api/session');
  return response.status === 200 ? ((await response.json()) as { user: { id: string; email: string; emailVerified: boolean } }).user : undefined;
}

const errorOf = (url: URL) => url.searchParams.get('perso_error');

function githubUser(login: string, id: number, emails: { email: string; primary?: boolean; verified?: boolean }[]) {
  github.users.set(login, { id, login, emails: emails.map((e) => ({ primary: false, verified: false, ...e })) });
}

describe('GET /api/config', () => {
  it('lists exactly the providers that are configured and enabled, with display names', async () => {
    const response = await h.call('GET', '/api/config');
    expect(((await response.json()) as { methods: { social: unknown } }).methods.social).toEqual([
      { id: 'github', name: 'GitHub' },
      { id: 'oidc', name: 'Acme ID' },
    ]);
  });

  it('leaves out a provider the organization enables but the server has no client for, and one it does not enable', async () => {
    const file = { organizations: [{ id: 'acme', name: 'Acme', methods: { social: ['google', 'oidc'] } }] };
    const other = createHarness({ config: testConfig({ ...oidcEnv(oidc), ...githubEnv(github) }, file) });
    try {
      const response = await other.call('GET', '/api/config?organization=acme');
      expect(((await response.json()) as { methods: { social: unknown } }).methods.social).toEqual([{ id: 'oidc', name: 'Acme ID' }]);
      const refused = await other.call('GET', `/api/oauth/github/start?organization=acme&return_to=${encodeURIComponent(APP)}`);
      expect(new URL(refused.headers.get('location')!).searchParams.get('perso_error')).toBe('method_disabled');
    } finally {
      await other.close();
    }
  });
});

describe('OpenID Connect (oidc-provider)', () => {
  it('asks for the code with state, an S256 PKCE challenge and a nonce', async () => {
    const authorize = await start(h, 'oidc');
    expect(authorize.origin).toBe(oidc.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(callbackPrefix('oidc'));
  });

  it('creates a verified account for a provider-verified email (read from userinfo), and signs the same identity in again', async () => {
    oidc.accounts.set('ada', { email: 'ada@example.com', emailVerified: true });
    const landed = await signInWith(h, 'oidc', 'ada');
    expect(landed.toString()).toBe(APP);
    const user = await session(h);
    expect(user).toMatchObject({ email: 'ada@example.com', emailVerified: true });
    expect(await h.store.findIdentity(oidc.issuer, 'ada')).toMatchObject({ userId: user!.id });

    const later = h.newBrowser();
    await signInWith(later, 'oidc', 'ada');
    expect((await session(later))?.id).toBe(user!.id);
  });

  it('refuses an ID token whose nonce is not the one this flow sent', async () => {
    oidc.accounts.set('nonce', { email: 'nonce@example.com', emailVerified: true });
    const authorize = await start(h, 'oidc');
    authorize.searchParams.set('nonce', 'a-nonce-of-someone-else');
    const landed = await back(h, await loginAtProvider(authorize.toString(), 'nonce', callbackPrefix('oidc')));
    expect(errorOf(landed)).toBe('oauth_rejected');
    expect(landed.origin + landed.pathname).toBe(APP);
    expect(await session(h)).toBeUndefined();
    expect(await h.store.findUserByEmail('nonce@example.com')).toBeUndefined();
  });

  it('refuses a code issued to another flow (its PKCE verifier is not this flow’s)', async () => {
    oidc.accounts.set('mallory', { email: 'mallory@example.com', emailVerified: true });
    const victim = h.newBrowser();
    const attacker = h.newBrowser();
    const victimAuthorize = await start(victim, 'oidc');
    const attackerCallback = await loginAtProvider((await start(attacker, 'oidc')).toString(), 'mallory', callbackPrefix('oidc'));
    // The attacker's code planted into the victim's callback, with the victim's own state.
    const planted = new URL(callbackPrefix('oidc'));
    planted.searchParams.set('code', attackerCallback.searchParams.get('code')!);
    planted.searchParams.set('state', victimAuthorize.searchParams.get('state')!);
    planted.searchParams.set('iss', oidc.issuer);
    expect(errorOf(await back(victim, planted))).toBe('oauth_rejected');
    expect(await session(victim)).toBeUndefined();
  });
});

describe('GitHub (OAuth 2 mock)', () => {
  it('signs up with the primary verified address of /user/emails, sending the PKCE verifier', async () => {
    githubUser('octo', 101, [
      { email: 'octo-old@example.com', verified: true },
      { email: 'octo@example.com', primary: true, verified: true },
    ]);
    const authorize = await start(h, 'github');
    expect(authorize.searchParams.get('nonce')).toBeNull();
    const landed = await back(h, await loginAtProvider(authorize.toString(), 'octo', callbackPrefix('github')));
    expect(landed.toString()).toBe(APP);
    expect(await session(h)).toMatchObject({ email: 'octo@example.com', emailVerified: true });
    const verifier = github.tokenRequests[0]!.get('code_verifier')!;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(authorize.searchParams.get('code_challenge'));
    expect(await h.store.findIdentity('github', '101')).toBeDefined();
  });

  it('does not take a verified secondary address when the primary one is unverified: the primary gets the usual verification', async () => {
    githubUser('second', 102, [
      { email: 'second@example.com', primary: true, verified: false },
      { email: 'other@example.com', verified: true },
    ]);
    const landed = await signInWith(h, 'github', 'second');
    expect(landed.searchParams.get('perso_attempt')).toBeTruthy();
    expect(await session(h)).toBeUndefined();
    expect(await h.store.findUserByEmail('other@example.com')).toBeUndefined();
    // The usual verification, in this browser: the code completes the attempt and attaches the identity.
    const verified = await h.call('POST', '/api/verify-email', { attempt: landed.searchParams.get('perso_attempt'), code: h.lastCode('second@example.com') });
    expect(verified.status).toBe(200);
    const user = (await session(h))!;
    expect(await h.store.findIdentity('github', '102')).toMatchObject({ userId: user.id });
    const later = h.newBrowser();
    expect((await signInWith(later, 'github', 'second')).toString()).toBe(APP);
    expect((await session(later))?.id).toBe(user.id);
  });
});

describe('account rules', () => {
  it('links a provider-verified email to the verified local account that has it', async () => {
    const owner = await h.signUpVerified('linked@example.com', 'owner password 1');
    githubUser('linked', 201, [{ email: 'linked@example.com', primary: true, verified: true }]);
    const browser = h.newBrowser();
    await signInWith(browser, 'github', 'linked');
    expect((await session(browser))?.id).toBe(owner.id);
    expect((await h.newBrowser().call('POST', '/api/signin', { email: 'linked@example.com', password: 'owner password 1' })).status).toBe(200);
  });

  it('never links an unverified provider email to an existing account: the owner is mailed, nothing is linked', async () => {
    const owner = await h.signUpVerified('victim@example.com', 'victim password 1');
    githubUser('impostor', 202, [{ email: 'victim@example.com', primary: true, verified: false }]);
    const attacker = h.newBrowser();
    const landed = await signInWith(attacker, 'github', 'impostor');
    expect(landed.searchParams.get('perso_attempt')).toBeTruthy();
    expect(await session(attacker)).toBeUndefined();
    expect(await h.store.findIdentity('github', '202')).toBeUndefined();
    expect(h.outbox.messages[0]).toMatchObject({ to: 'victim@example.com', subject: expect.stringMatching(/already have/) });
    expect((await h.store.findUserByEmail('victim@example.com'))?.id).toBe(owner.id);
  });

  it('does not let a provider-verified sign-in complete an open password attempt: that password never opens the account', async () => {
    const attacker = h.newBrowser();
    expect((await attacker.call('POST', '/api/signup', { email: 'owner@example.com', password: 'attacker password' })).status).toBe(202);
    const attackerToken = h.lastToken('owner@example.com');
    oidc.accounts.set('owner', { email: 'owner@example.com', emailVerified: true });
    const owner = h.newBrowser();
    await signInWith(owner, 'oidc', 'owner');
    const account = (await session(owner))!;
    expect(account.email).toBe('owner@example.com');
    expect((await attacker.call('POST', '/api/verify-email', { token: attackerToken })).status).not.toBe(200);
    expect((await h.newBrowser().call('POST', '/api/signin', { email: 'owner@example.com', password: 'attacker password' })).status).not.toBe(200);
    expect((await h.store.findUserByEmail('owner@example.com'))?.passwordHash).toBeNull();
  });

  it('links a provider to the signed-in account, and refuses an identity linked to someone else', async () => {
    const user = await h.signUpVerified('me@example.com');
    githubUser('mine', 301, [{ email: 'elsewhere@example.com', primary: true, verified: true }]);
    expect((await signInWith(h, 'github', 'mine')).toString()).toBe(APP);
    expect(await h.store.findIdentity('github', '301')).toMatchObject({ userId: user.id });

    const other = h.newBrowser();
    await other.call('POST', '/api/signup', { email: 'other@example.com', password: 'other password 1' });
    await other.call('POST', '/api/verify-email', { token: h.lastToken('other@example.com') });
    expect(errorOf(await signInWith(other, 'github', 'mine'))).toBe('identity_in_use');
    expect(await h.store.findIdentity('github', '301')).toMatchObject({ userId: user.id });
  });

  it('never signs into or joins an account of another organization through this one’s flow', async () => {
    const file = {
      organizations: [
        { id: 'default', name: 'Default', methods: { social: ['github'] } },
        { id: 'acme', name: 'Acme', allowedOrigins: ['https://acme.example'], methods: { social: ['github'] } },
      ],
    };
    const tenants = createHarness({ config: testConfig(githubEnv(github), file) });
    try {
      await tenants.signUpVerified('tenant@example.com');
      githubUser('tenant', 601, [{ email: 'tenant@example.com', primary: true, verified: true }]);
      const browser = tenants.newBrowser();
      const started = await browser.call('GET', `/api/oauth/github/start?organization=acme&return_to=${encodeURIComponent('https://acme.example/app')}`);
      const callback = await loginAtProvider(started.headers.get('location')!, 'tenant', callbackPrefix('github'));
      const landed = await back(browser, callback);
      expect(landed.origin).toBe('https://acme.example');
      expect(errorOf(landed)).toBe('origin_not_allowed');
      expect(await tenants.store.findIdentity('github', '601')).toBeUndefined();
      expect(browser.cookie).toBeUndefined();
    } finally {
      await tenants.close();
    }
  });
});

describe('state', () => {
  it('refuses a forged state, and sends the browser to the app URL, never to a URL from the request', async () => {
    await start(h, 'github');
    const landed = await back(h, new URL(`${callbackPrefix('github')}?code=x&state=forged`));
    expect(errorOf(landed)).toBe('oauth_invalid_state');
    expect(landed.origin).toBe(new URL(config.appUrl).origin);
    expect(await session(h)).toBeUndefined();
  });

  it('uses a state once: replaying the callback changes nothing', async () => {
    githubUser('replay', 401, [{ email: 'replay@example.com', primary: true, verified: true }]);
    const callback = await loginAtProvider((await start(h, 'github')).toString(), 'replay', callbackPrefix('github'));
    expect((await back(h, callback)).toString()).toBe(APP);
    const replayer = h.newBrowser();
    replayer.oauthCookie = h.oauthCookie;
    expect(errorOf(await back(replayer, callback))).toBe('oauth_invalid_state');
    expect(await session(replayer)).toBeUndefined();
  });

  it('refuses a state brought back through another browser, and leaves it usable in its own', async () => {
    githubUser('forwarded', 402, [{ email: 'forwarded@example.com', primary: true, verified: true }]);
    const callback = await loginAtProvider((await start(h, 'github')).toString(), 'forwarded', callbackPrefix('github'));
    const other = h.newBrowser();
    expect(errorOf(await back(other, callback))).toBe('oauth_invalid_state');
    expect(await session(other)).toBeUndefined();
    expect((await back(h, callback)).toString()).toBe(APP);
  });

  it('expires a state after 10 minutes', async () => {
    githubUser('slow', 403, [{ email: 'slow@example.com', primary: true, verified: true }]);
    const callback = await loginAtProvider((await start(h, 'github')).toString(), 'slow', callbackPrefix('github'));
    h.clock.advance(10 * 60_000 + 1);
    expect(errorOf(await back(h, callback))).toBe('oauth_invalid_state');
  });
});

describe('return_to and provider failures', () => {
  it('refuses a return_to on a foreign origin with a 400 page: no redirect, no state, no cookie', async () => {
    const response = await h.call('GET', `/api/oauth/github/start?return_to=${encodeURIComponent('https://evil.example/')}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/not allowed/);
    expect(h.oauthCookie).toBeUndefined();
  });

  it('brings a denied consent back to return_to as oauth_cancelled', async () => {
    const authorize = await start(h, 'github');
    const denied = new URL(callbackPrefix('github'));
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('state', authorize.searchParams.get('state')!);
    const landed = await back(h, denied);
    expect(landed.origin + landed.pathname).toBe(APP);
    expect(errorOf(landed)).toBe('oauth_cancelled');
  });

  it('reports a provider that answers 503 or does not answer at all as oauth_unavailable', async () => {
    githubUser('down', 501, [{ email: 'down@example.com', primary: true, verified: true }]);
    for (const mode of ['down', 'hang'] as const) {
      const browser = h.newBrowser();
      const callback = await loginAtProvider((await start(browser, 'github')).toString(), 'down', callbackPrefix('github'));
      github.tokenMode = mode;
      const began = Date.now();
      expect(errorOf(await back(browser, callback))).toBe('oauth_unavailable');
      expect(Date.now() - began).toBeLessThan(5_000);
      expect(await session(browser)).toBeUndefined();
    }
  });

  it('brings a failure on our side back to return_to as internal_error, never as JSON in the tab', async () => {
    const broken: OAuthClients = {
      authorizationUrl: async (_provider, checks) => new URL(`${github.baseUrl}/login/oauth/authorize?state=${checks.state}`),
      finish: async () => {
        throw new Error('a bug');
      },
    };
    const other = createHarness({ config, oauth: broken });
    try {
      const authorize = await start(other, 'github');
      const landed = await back(other, new URL(`${callbackPrefix('github')}?code=c&state=${authorize.searchParams.get('state')}`));
      expect(landed.origin + landed.pathname).toBe(APP);
      expect(errorOf(landed)).toBe('internal_error');
    } finally {
      await other.close();
    }
  });

  it('reports an unreachable issuer at start as oauth_unavailable on return_to', async () => {
    const offline = testConfig({ ...oidcEnv(oidc), PERSO_OIDC_ISSUER: 'http://127.0.0.1:9' });
    const other = createHarness({ config: offline, oauth: createOAuthClients(offline, { timeoutS: 1 }) });
    try {
      const response = await other.call('GET', `/api/oauth/oidc/start?return_to=${encodeURIComponent(APP)}`);
      expect(response.status).toBe(303);
      expect(new URL(response.headers.get('location')!).searchParams.get('perso_error')).toBe('oauth_unavailable');
    } finally {
      await other.close();
    }
  });

  it('refuses an issuer whose discovery document names another issuer (oauth_rejected, nothing signed in)', async () => {
    // A look-alike provider: it serves the real provider's metadata under its own address.
    const metadata = (await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const impostor = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(metadata));
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const impostorUrl = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
    const wrong = testConfig({ ...oidcEnv(oidc), PERSO_OIDC_ISSUER: impostorUrl });
    const other = createHarness({ config: wrong, oauth: createOAuthClients(wrong, { timeoutS: 1 }) });
    try {
      const response = await other.call('GET', `/api/oauth/oidc/start?return_to=${encodeURIComponent(APP)}`);
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location')!);
      expect(location.origin + location.pathname).toBe(APP);
      expect(location.searchParams.get('perso_error')).toBe('oauth_rejected');
      expect((await other.call('GET', '/api/session')).status).toBe(401);
    } finally {
      await other.close();
      impostor.close();
    }
  });
});
