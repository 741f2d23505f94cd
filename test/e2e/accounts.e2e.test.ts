import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { useServerAndBrowser } from './support/fixture.js';
import { verificationLink } from './support/server.js';

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
