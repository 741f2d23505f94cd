import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { useServerAndBrowser } from './support/fixture.js';
import { resetLink, signUpVerifiedByApi, verificationCode, verificationLink } from './support/server.js';

describe('sign-up, verification and sign-in in the demo page', () => {
  const suite = useServerAndBrowser();

  it('creates an account in <perso-signup>, verifies it from the outbox and signs in with <perso-signin>', async () => {
    const email = 'grace@example.com';
    const password = 'a long enough password';

    const first = await suite.browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await first.newPage();
    await page.goto(suite.server.url);
    const signup = page.locator('perso-signup');
    await expect.poll(() => signup.getByRole('heading', { name: 'Create your account' }).isVisible()).toBe(true);
    await screenshot(page, '01-demo-page');

    await signup.getByLabel('Email').fill(email);
    await signup.getByLabel('Password', { exact: true }).fill(password);
    const signedUp = page.evaluate(
      () => new Promise((resolve) => document.addEventListener('perso-signed-up', (e) => resolve((e as CustomEvent).detail), { once: true })),
    );
    await signup.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => signup.getByText('Check your email inbox for a verification message').isVisible()).toBe(true);
    expect(await signedUp).toEqual({ email, method: 'password' });
    await expect.poll(() => signup.getByRole('button', { name: /Resend email/ }).isVisible()).toBe(true);
    await screenshot(page, '02-verification-sent');

    const link = await verificationLink(suite.server.url, email);
    await page.goto(link);
    await expect.poll(() => page.getByRole('heading', { name: 'Email verified' }).isVisible()).toBe(true);
    await screenshot(page, '03-email-verified');
    await first.close();

    // A fresh browser: signed out until <perso-signin> succeeds; the keys element follows without a reload.
    const second = await suite.browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page2 = await second.newPage();
    await page2.goto(suite.server.url);
    const keys = page2.locator('perso-api-keys');
    await expect.poll(() => keys.getByText('Sign in to manage your API keys').isVisible()).toBe(true);
    await screenshot(page2, '04-signed-out');

    const signin = page2.locator('perso-signin');
    await signin.getByLabel('Email').fill(email);
    await signin.getByLabel('Password', { exact: true }).fill('not the password');
    await signin.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => signin.getByRole('alert').textContent()).toMatch(/incorrect/i);
    await screenshot(page2, '05-wrong-password');

    await signin.getByLabel('Password', { exact: true }).fill(password);
    const signedIn = page2.evaluate(
      () => new Promise((resolve) => document.addEventListener('perso-signed-in', (e) => resolve((e as CustomEvent).detail), { once: true })),
    );
    await signin.getByRole('button', { name: 'Sign in', exact: true }).click();
    expect(await signedIn).toEqual({ user: expect.objectContaining({ email, emailVerified: true, organizationId: 'default' }) });
    await expect.poll(() => keys.getByText('Create New API Key').isVisible()).toBe(true);
    await expect.poll(() => keys.getByText('No API keys yet').isVisible()).toBe(true);
    await screenshot(page2, '06-signed-in');
    await second.close();
  });
});

describe('sign-up bound to its browser, codes and password reset in the demo page', () => {
  const suite = useServerAndBrowser();
  const password = 'a long enough password';

  async function signUpOnDemo(email: string) {
    const context = await suite.browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(suite.server.url);
    const signup = page.locator('perso-signup');
    await signup.getByLabel('Email').fill(email);
    await signup.getByLabel('Password', { exact: true }).fill(password);
    await signup.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => signup.getByText('Check your email inbox for a verification message').isVisible()).toBe(true);
    return { context, page, signup };
  }

  it('opening the link in a second tab signs the first tab in without a reload', async () => {
    const email = 'tabs@example.com';
    const { context, page, signup } = await signUpOnDemo(email);
    const signedIn = page.evaluate(
      () => new Promise((resolve) => document.addEventListener('perso-signed-in', (e) => resolve((e as CustomEvent).detail), { once: true })),
    );
    const second = await context.newPage();
    await second.goto(await verificationLink(suite.server.url, email));
    await expect.poll(() => second.getByRole('heading', { name: 'Email verified' }).isVisible()).toBe(true);
    await screenshot(second, '11-link-in-second-tab');
    expect(await signedIn).toEqual({ user: expect.objectContaining({ email, emailVerified: true }) });
    await expect.poll(() => page.locator('perso-api-keys').getByText('Create New API Key').isVisible()).toBe(true);
    await expect.poll(() => signup.getByText(`Signed in as ${email}`).isVisible()).toBe(true);
    await screenshot(page, '12-first-tab-signed-in');
    await context.close();
  });

  it('the link opened in another browser changes nothing and says what to do', async () => {
    const email = 'elsewhere@example.com';
    const { context } = await signUpOnDemo(email);
    const other = await suite.browser.newContext({ viewport: { width: 800, height: 700 } });
    const page = await other.newPage();
    await page.goto(await verificationLink(suite.server.url, email));
    await expect.poll(() => page.getByText('Open the link in the browser where you signed up').isVisible()).toBe(true);
    await screenshot(page, '13-link-other-browser');
    expect((await (await page.request.get(`${suite.server.url}/api/session`)).status())).toBe(401);
    await other.close();
    await context.close();
  });

  it('typing the code from the mail signs in', async () => {
    const email = 'code@example.com';
    const { context, page, signup } = await signUpOnDemo(email);
    await signup.getByLabel('Verification code').fill(await verificationCode(suite.server.url, email));
    await screenshot(page, '14-code-typed');
    await signup.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect.poll(() => page.locator('perso-api-keys').getByText('Create New API Key').isVisible()).toBe(true);
    await screenshot(page, '15-signed-in-by-code');
    await context.close();
  });

  it('forgot password → the reset page → signed in with the new password', async () => {
    const email = 'forgot@example.com';
    await signUpVerifiedByApi(suite.server.url, email, password);
    const context = await suite.browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(suite.server.url);
    const signin = page.locator('perso-signin');
    await signin.getByRole('button', { name: 'Forgot password?' }).click();
    await signin.getByLabel('Email').fill(email);
    await signin.getByRole('button', { name: 'Send reset link' }).click();
    await expect.poll(() => signin.getByText('Check your email inbox').first().isVisible()).toBe(true);
    await screenshot(page, '16-reset-link-sent');

    await page.goto(await resetLink(suite.server.url, email));
    await expect.poll(() => page.getByRole('heading', { name: 'Choose a new password' }).isVisible()).toBe(true);
    await page.getByLabel('New password').fill('my brand new password');
    await screenshot(page, '17-reset-page');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Password changed' }).isVisible()).toBe(true);
    await screenshot(page, '18-password-changed');
    await page.getByRole('link', { name: 'Continue' }).click();
    await expect.poll(() => page.locator('perso-api-keys').getByText('Create New API Key').isVisible()).toBe(true);
    await context.close();
  });
});
