import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubEnv, type GithubMock, startGithubMock } from '../server/github-mock.js';
import { oidcEnv, type OidcTestProvider, startOidcProvider } from '../server/oidc-provider.js';
import { launchChromium, screenshot } from './support/browser.js';
import { freePort, type RunningServer, startServer } from './support/server.js';

describe('social sign-in in the demo page against the real server', () => {
  let server: RunningServer;
  let browser: Browser;
  let oidc: OidcTestProvider;
  let github: GithubMock;

  beforeAll(async () => {
    // The provider must know the server's redirect URI, and the server the provider's issuer.
    const port = await freePort();
    [oidc, github, browser] = await Promise.all([
      startOidcProvider({ redirectUri: `http://localhost:${port}/api/oauth/oidc/callback` }),
      startGithubMock(),
      launchChromium(),
    ]);
    server = await startServer({ PERSO_PORT: String(port), ...oidcEnv(oidc, 'Acme ID'), ...githubEnv(github) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await Promise.all([oidc?.stop(), github?.stop()]);
  });

  /** Signed in on the demo page: the sign-in card says so, and an API key can be made and shown. */
  async function expectSignedInAndCreateKey(page: Page, email: string, shot: string): Promise<void> {
    expect(new URL(page.url()).origin).toBe(server.url);
    const signin = page.locator('perso-signin');
    await expect.poll(() => signin.getByText(`Signed in as ${email}`).isVisible(), { timeout: 10_000 }).toBe(true);
    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(session).toMatchObject({ user: { email, emailVerified: true } });
    await screenshot(page, `${shot}-signed-in`);
    const keys = page.locator('perso-api-keys');
    await keys.getByLabel('API Key Name').fill('Social key');
    await keys.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => keys.getByRole('row', { name: /Social key/ }).getByText(/pak-[0-9a-f]{32}/).isVisible()).toBe(true);
    await screenshot(page, `${shot}-key-created`);
  }

  it('OpenID Connect: Continue with Acme ID → log in and consent at oidc-provider → back signed in → API key', async () => {
    oidc.accounts.set('grace', { email: 'grace@example.com', emailVerified: true });
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
    const page = await context.newPage();
    await page.goto(server.url);
    const signin = page.locator('perso-signin');
    await signin.getByRole('button', { name: 'Continue with Acme ID' }).waitFor();
    await screenshot(page, '40-oidc-start');
    await signin.getByRole('button', { name: 'Continue with Acme ID' }).click();

    await page.waitForURL((url) => url.origin === oidc.issuer);
    await page.locator('input[name="login"]').fill('grace');
    await page.locator('input[name="password"]').fill('any password');
    await screenshot(page, '41-oidc-login');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/interaction\//);
    await screenshot(page, '42-oidc-consent');
    await page.locator('button[type="submit"]').click();

    await page.waitForURL((url) => url.origin === server.url, { timeout: 10_000 });
    await expectSignedInAndCreateKey(page, 'grace@example.com', '43-oidc');
    await context.close();
  });

  it('GitHub: Continue with GitHub → authorize at the mock → back signed in → API key; a cancel comes back as a sentence', async () => {
    github.users.set('hopper', { id: 7001, login: 'hopper', emails: [{ email: 'hopper@example.com', primary: true, verified: true }] });
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
    const page = await context.newPage();
    await page.goto(server.url);
    const signin = page.locator('perso-signin');

    await signin.getByRole('button', { name: 'Continue with GitHub' }).click();
    await page.waitForURL((url) => url.origin === github.baseUrl);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((url) => url.origin === server.url);
    await expect.poll(() => signin.getByRole('alert').textContent()).toContain('Sign-in with the provider was cancelled.');
    expect(new URL(page.url()).searchParams.has('perso_error')).toBe(false);
    // The host page heard it too: its event log lists the perso-error.
    await expect.poll(() => page.locator('#event-log').textContent()).toContain('perso-error {"code":"oauth_cancelled"');
    await screenshot(page, '50-github-cancelled');

    await signin.getByRole('button', { name: 'Continue with GitHub' }).click();
    await page.waitForURL((url) => url.origin === github.baseUrl);
    await page.getByLabel('Username').fill('hopper');
    await screenshot(page, '51-github-authorize');
    await page.getByRole('button', { name: 'Authorize' }).click();

    await page.waitForURL((url) => url.origin === server.url, { timeout: 10_000 });
    await expectSignedInAndCreateKey(page, 'hopper@example.com', '52-github');
    await context.close();
  });
});
