import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser.js';
import { useServerAndBrowser } from './support/fixture.js';
import { signUpVerifiedByApi } from './support/server.js';

describe('API keys in the demo page against the real server', () => {
  const suite = useServerAndBrowser();

  const whoami = (secret: string) => fetch(`${suite.server.url}/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });

  it('creates a key, uses it, sees Last Used At change, deletes it and the key stops working', async () => {
    const email = 'linus@example.com';
    const session = await signUpVerifiedByApi(suite.server.url, email, 'correct horse battery');
    const context = await suite.browser.newContext({ viewport: { width: 1200, height: 1000 } });
    await context.addCookies([{ name: 'perso_session', value: session, url: suite.server.url, httpOnly: true, sameSite: 'Lax' }]);
    const page = await context.newPage();
    await page.goto(suite.server.url);
    const keys = page.locator('perso-api-keys');
    await expect.poll(() => keys.getByText('No API keys yet').isVisible()).toBe(true);

    await keys.getByLabel('API Key Name').fill('E2E key');
    const created = page.evaluate(
      () => new Promise((resolve) => document.addEventListener('perso-key-created', (e) => resolve((e as CustomEvent).detail), { once: true })),
    );
    await keys.getByRole('button', { name: 'Create', exact: true }).click();
    const row = keys.getByRole('row', { name: /E2E key/ });
    await expect.poll(() => row.getByText(/pak-[0-9a-f]{32}/).isVisible()).toBe(true);
    const secret = (await row.getByText(/pak-[0-9a-f]{32}/).textContent())!.match(/pak-[0-9a-f]{32}/)![0];
    expect(JSON.stringify(await created)).not.toContain(secret);
    await expect.poll(() => keys.getByText("Copy this key now. You won't be able to see it again.").isVisible()).toBe(true);
    expect(await row.locator('td, th').nth(3).textContent()).toContain('Not used yet');
    await screenshot(page, '10-key-created');

    const used = await whoami(secret);
    expect(used.status).toBe(200);
    expect(await used.json()).toMatchObject({ user: { email }, organization: { id: 'default' }, key: { name: 'E2E key' } });

    // Uses are written in batches; within 5 s a reload shows them — and only the masked key.
    await expect
      .poll(
        async () => {
          await page.reload();
          const row = keys.getByRole('row', { name: /E2E key/ });
          const text = (await row.textContent({ timeout: 5_000 })) ?? '';
          const lastUsed = (await row.locator('td, th').nth(3).textContent()) ?? '';
          return !lastUsed.includes('Not used yet') && !/pak-[0-9a-f]{32}/.test(text) && /pak-[0-9a-f]{4}…[0-9a-f]{4}/.test(text);
        },
        { timeout: 8_000, interval: 1_000 },
      )
      .toBe(true);
    await screenshot(page, '11-key-used');

    await keys.getByRole('row', { name: /E2E key/ }).getByRole('button', { name: /Delete/ }).click();
    const dialog = keys.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('E2E key');
    await screenshot(page, '12-delete-dialog');
    const deleted = page.evaluate(
      () => new Promise((resolve) => document.addEventListener('perso-key-deleted', (e) => resolve((e as CustomEvent).detail), { once: true })),
    );
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    expect(await deleted).toEqual({ id: expect.any(String) });
    await expect.poll(() => keys.getByRole('row', { name: /E2E key/ }).count()).toBe(0);
    await screenshot(page, '13-key-deleted');

    const afterDelete = await whoami(secret);
    expect(afterDelete.status).toBe(401);
    expect(afterDelete.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await afterDelete.json()).error.code).toBe('invalid_api_key');
    await context.close();
  });

  it('loads only perso-kit.js for a signed-out visitor, and the keys screen once someone signs in', async () => {
    const email = 'grace@example.com';
    await signUpVerifiedByApi(suite.server.url, email, 'correct horse battery');
    const context = await suite.browser.newContext({ viewport: { width: 1200, height: 1000 } });
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/kit/')) fetched.push(path.slice('/kit/'.length));
    });
    await page.goto(suite.server.url);
    const keys = page.locator('perso-api-keys');
    await expect.poll(() => keys.getByText('Sign in to manage your API keys').isVisible()).toBe(true);
    expect(fetched).toEqual(['perso-kit.js']);

    const signin = page.locator('perso-signin');
    await signin.getByLabel('Email').fill(email);
    await signin.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await signin.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => keys.getByText('No API keys yet').isVisible()).toBe(true);
    expect(fetched.some((file) => /^chunks\/key-list-[\w-]+\.js$/.test(file))).toBe(true);
    // Its styles arrived with it: the table is laid out, not bare.
    expect(await keys.locator('table').evaluate((table) => getComputedStyle(table).borderCollapse)).toBe('collapse');
    await context.close();
  });
});
