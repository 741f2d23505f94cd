import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from './support/browser.js';
import { type RunningServer, startServer, verificationLink } from './support/server.js';

/**
 * Passkeys end to end: the real server with passkeys on, the built kit on the demo page at
 * http://localhost:PORT (rpID `localhost`; 127.0.0.1 would be refused by the browser), and
 * Chromium's virtual authenticator standing in for a platform authenticator with user verification.
 */
describe('passkeys in the demo page against the real server', () => {
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const configDir = mkdtempSync(join(tmpdir(), 'perso-e2e-config-'));

  beforeAll(async () => {
    const config = join(configDir, 'perso.config.json');
    writeFileSync(config, JSON.stringify({ organizations: [{ id: 'default', name: 'Perso AI Platform', methods: { password: true, passkey: true } }] }));
    [server, browser] = await Promise.all([startServer({ PERSO_CONFIG: config }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  async function addAuthenticator(cdp: CDPSession): Promise<string> {
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return authenticatorId;
  }

  async function openWithAuthenticator(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; authenticator: string }> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    return { context, page, cdp, authenticator: await addAuthenticator(cdp) };
  }

  const nextEvent = (page: Page, type: string) =>
    page.evaluate((name) => new Promise((resolve) => document.addEventListener(name, (e) => resolve((e as CustomEvent).detail), { once: true })), type);

  it('signs up with a passkey, verifies in the same browser, signs in with it after cookies are cleared, and creates an API key', async () => {
    const email = 'ada@example.com';
    const { context, page, cdp, authenticator } = await openWithAuthenticator();
    await page.goto(server.url);
    const signup = page.locator('perso-signup');
    await expect.poll(() => signup.getByRole('button', { name: 'Sign up with a passkey' }).isVisible()).toBe(true);
    await screenshot(page, 'passkeys-01-demo');

    await signup.getByLabel('Email').fill(email);
    const signedUp = nextEvent(page, 'perso-signed-up');
    await signup.getByRole('button', { name: 'Sign up with a passkey' }).click();
    expect(await signedUp).toEqual({ email, method: 'passkey' });
    await expect.poll(() => signup.getByText('Check your email inbox for a verification message').isVisible()).toBe(true);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: authenticator });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    await screenshot(page, 'passkeys-02-check-inbox');

    await page.goto(await verificationLink(server.url, email));
    await expect.poll(() => page.getByRole('heading', { name: 'Email verified' }).isVisible()).toBe(true);
    await screenshot(page, 'passkeys-03-verified');

    // Chromium's virtual authenticator answers the email field's autofill request at once, so
    // here that request is held back (its options never arrive) to sign in by the button alone.
    let optionsAsked = 0;
    await page.route('**/api/passkeys/signin/options', (route) => (++optionsAsked === 1 ? undefined : route.continue()));
    await context.clearCookies();
    await page.goto(server.url);
    const signin = page.locator('perso-signin');
    const keys = page.locator('perso-api-keys');
    await expect.poll(() => keys.getByText('Sign in to manage your API keys').isVisible()).toBe(true);
    await expect.poll(() => optionsAsked).toBe(1);
    const signedIn = nextEvent(page, 'perso-signed-in');
    await signin.getByRole('button', { name: 'Sign in with a passkey' }).click();
    expect(await signedIn).toEqual({ user: expect.objectContaining({ email, emailVerified: true }) });
    await expect.poll(() => keys.getByText('Create New API Key').isVisible()).toBe(true);
    await screenshot(page, 'passkeys-04-signed-in-with-passkey');

    await keys.getByLabel('API Key Name').fill('Made after a passkey sign-in');
    await keys.getByRole('button', { name: 'Create', exact: true }).click();
    const secret = keys.getByText(/pak-[0-9a-f]{32}/);
    await expect.poll(() => secret.isVisible()).toBe(true);
    const value = (await secret.textContent())!.match(/pak-[0-9a-f]{32}/)![0];
    expect((await fetch(`${server.url}/v1/whoami`, { headers: { authorization: `Bearer ${value}` } })).status).toBe(200);
    await screenshot(page, 'passkeys-05-api-key');

    // Passkey autofill: with no click at all, the email field's conditional request (answered at
    // once by the virtual authenticator, where a person would pick the passkey) signs in.
    await page.unroute('**/api/passkeys/signin/options');
    await context.clearCookies();
    const verified = page.waitForResponse((r) => r.url().endsWith('/api/passkeys/signin/verify'));
    await page.goto(server.url);
    expect((await verified).status()).toBe(200);
    await expect.poll(() => signin.getByText(`Signed in as ${email}`).isVisible()).toBe(true);
    await expect.poll(() => keys.getByText('Made after a passkey sign-in').isVisible()).toBe(true);
    await screenshot(page, 'passkeys-06-autofill-signed-in');

    // <perso-passkeys>: this device is registered already; a second authenticator adds one, which is then removed.
    const passkeys = page.locator('perso-passkeys');
    await expect.poll(() => passkeys.getByRole('listitem').count()).toBe(1);
    await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
    await expect.poll(() => passkeys.getByText('This device already has a passkey for this account.').isVisible()).toBe(true);
    await screenshot(page, 'passkeys-07-already-registered');

    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: authenticator });
    const second = await addAuthenticator(cdp);
    const added = nextEvent(page, 'perso-passkey-added');
    await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
    expect(await added).toEqual({ passkey: expect.objectContaining({ name: 'Chrome on Linux' }) });
    await expect.poll(() => passkeys.getByRole('listitem').count()).toBe(2);
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId: second })).credentials).toHaveLength(1);
    await screenshot(page, 'passkeys-08-second-added');

    await passkeys.getByRole('button', { name: 'Remove Chrome on Linux' }).last().click();
    await expect.poll(() => passkeys.getByRole('dialog').isVisible()).toBe(true);
    await screenshot(page, 'passkeys-09-remove-confirmation');
    const removed = nextEvent(page, 'perso-passkey-removed');
    await passkeys.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await removed;
    await expect.poll(() => passkeys.getByRole('listitem').count()).toBe(1);
    await screenshot(page, 'passkeys-10-removed');

    // The account has no password: its last passkey stays.
    await passkeys.getByRole('button', { name: /^Remove / }).click();
    await passkeys.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => passkeys.getByText('This is your only way to sign in. Add another passkey before removing this one.').isVisible()).toBe(true);
    await screenshot(page, 'passkeys-11-last-kept');
    await context.close();
  });
});
