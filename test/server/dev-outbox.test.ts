import { afterEach, describe, expect, it } from 'vitest';
import { DevOutbox } from '../../server/mail/dev-outbox.js';
import { expectError } from './expect.js';
import { createHarness, type Harness, ORIGIN, testConfig } from './helpers.js';

let h: Harness;
afterEach(() => h?.close());

interface Outbox {
  messages: { to: string; subject: string; text: string; html: string; sentAt: string; links: string[] }[];
}

describe('GET /api/dev/outbox', () => {
  it('lists the mail sent, newest first, with its links', async () => {
    h = createHarness();
    expect(await (await h.call('GET', '/api/dev/outbox')).json()).toEqual({ messages: [] });

    await h.call('POST', '/api/signup', { email: 'ada@example.com', password: 'correct horse' });
    h.clock.advance(5_000);
    await h.call('POST', '/api/signup', { email: 'grace@example.com', password: 'correct horse' });

    const response = await h.call('GET', '/api/dev/outbox');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { messages } = (await response.json()) as Outbox;
    expect(messages.map((m) => m.to)).toEqual(['grace@example.com', 'ada@example.com']);
    for (const message of messages) expect(Object.keys(message).sort()).toEqual(['html', 'links', 'sentAt', 'subject', 'text', 'to']);
    const [grace, ada] = messages;
    expect(ada!.sentAt).toBe(new Date(h.clock.ms - 5_000).toISOString());
    expect(grace!.sentAt).toBe(new Date(h.clock.ms).toISOString());
    expect(ada!.subject).toBe('Verify your email for Perso AI Platform');
    expect(ada!.links).toEqual([`${ORIGIN}/verify-email?token=${h.lastToken('ada@example.com')}`]);
    expect(ada!.text).toContain(ada!.links[0]);
    expect(ada!.html).toMatch(/^<!doctype html>/);

    // The listed link is the real one: in the sign-up's browser it opens the confirm page.
    const page = await h.call('GET', new URL(ada!.links[0]!).pathname + new URL(ada!.links[0]!).search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-autosubmit');
  });
});

describe('GET /dev/mailbox', () => {
  it('shows the mail as a page, with its links, escaping what it shows', async () => {
    h = createHarness({ config: testConfig({ PERSO_ORG_NAME: '<img src=x onerror=alert(1)> & Co' }) });
    const empty = await h.app.request('/dev/mailbox');
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain('No mail yet.');

    await h.call('POST', '/api/signup', { email: 'ada@example.com', password: 'correct horse' });
    const response = await h.app.request('/dev/mailbox');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    const link = h.outbox.messages[0]!.links[0]!;
    expect(page).toContain('<title>Dev mailbox</title>');
    expect(page).toContain('To ada@example.com');
    expect(page).toContain(`<a href="${link}">${link}</a>`);
    expect(page).toContain('Verify your email for &lt;img src=x onerror=alert(1)&gt; &amp; Co');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('No mail yet.');
  });
});

describe('in production', () => {
  it('has no outbox routes: both answer 404 not_found', async () => {
    h = createHarness({ config: testConfig({ NODE_ENV: 'production' }) });
    await h.call('POST', '/api/signup', { email: 'ada@example.com', password: 'correct horse' });
    await expectError(await h.call('GET', '/api/dev/outbox'), 404, 'not_found');
    await expectError(await h.call('GET', '/dev/mailbox'), 404, 'not_found');
  });
});

describe('DevOutbox', () => {
  it('prints each mail with its links and keeps only the newest 100', async () => {
    const lines: string[] = [];
    let now = Date.parse('2026-01-01T00:00:00Z');
    const outbox = new DevOutbox(() => now, (line) => lines.push(line));
    for (let i = 0; i < 105; i++) {
      now += 1000;
      await outbox.send({ to: `u${i}@example.com`, subject: `Mail ${i}`, text: 't', html: 'h', links: [`https://x.test/${i}`] });
    }
    expect(outbox.messages).toHaveLength(100);
    expect(outbox.messages[0]).toEqual({ to: 'u104@example.com', subject: 'Mail 104', text: 't', html: 'h', links: ['https://x.test/104'], sentAt: '2026-01-01T00:01:45.000Z' });
    expect(outbox.messages.at(-1)!.to).toBe('u5@example.com');
    expect(lines[0]).toBe('[dev outbox] to u0@example.com: Mail 0\n  https://x.test/0');
  });
});
