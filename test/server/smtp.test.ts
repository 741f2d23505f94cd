import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../server/mail/smtp.js';
import { createHarness, ORIGIN } from './helpers.js';
import { type Received, startSmtpSink } from './smtp-sink.js';

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());

const PASSWORD = 'correct horse battery';
const lastTo = (to: string): Received => sink.inbox.filter((m) => m.to.includes(to)).at(-1)!;

describe('mail through SMTP, from the queue', () => {
  it('delivers the verification mail after the answer; its link verifies in the sign-up’s browser', async () => {
    const mailer = createSmtpMailer(sink.url, 'Perso <no-reply@perso.test>');
    const h = createHarness({ mailer });
    try {
      const response = await h.call('POST', '/api/signup', { email: 'ada@example.com', password: PASSWORD });
      expect(response.status).toBe(202);
      await sink.waitFor(1);
      const { from, to, mail } = lastTo('ada@example.com');
      expect(from).toBe('no-reply@perso.test');
      expect(to).toEqual(['ada@example.com']);
      expect(mail.subject).toBe('Verify your email for Perso AI Platform');
      expect(mail.from?.value).toEqual([{ address: 'no-reply@perso.test', name: 'Perso' }]);

      const token = new RegExp(`${ORIGIN}/verify-email\\?token=([\\w-]{43})`).exec(mail.text ?? '')![1]!;
      expect(mail.html).toContain(`href="${ORIGIN}/verify-email?token=${token}"`);
      expect(mail.text).toMatch(/Verification code: \d{6}/);
      expect((await h.submitForm('/verify-email', { token })).status).toBe(200);
      expect((await h.call('POST', '/api/signin', { email: 'ada@example.com', password: PASSWORD })).status).toBe(200);
    } finally {
      mailer.close();
      await h.close();
    }
  });

  it('resets a password end to end: the mailed link, the page, the new password; old sessions end; the link works once', async () => {
    const mailer = createSmtpMailer(sink.url, 'Perso <no-reply@perso.test>');
    const h = createHarness({ mailer });
    try {
      await h.call('POST', '/api/signup', { email: 'reset@example.com', password: PASSWORD });
      const token = /verify-email\?token=([\w-]{43})/.exec((await sink.mailTo('reset@example.com')).mail.text ?? '')![1]!;
      await h.submitForm('/verify-email', { token });
      const laptop = h.newBrowser();
      expect((await laptop.call('POST', '/api/signin', { email: 'reset@example.com', password: PASSWORD })).status).toBe(200);

      const before = sink.inbox.length;
      const phone = h.newBrowser();
      expect((await phone.call('POST', '/api/password-reset', { email: 'reset@example.com', locale: 'ko' })).status).toBe(202);
      await sink.waitFor(before + 1);
      const { mail } = lastTo('reset@example.com');
      expect(mail.subject).toBe('Perso AI Platform 비밀번호 재설정');
      const resetToken = new RegExp(`${ORIGIN}/reset-password\\?token=([\\w-]{43})`).exec(mail.text ?? '')![1]!;

      const page = await phone.call('GET', `/reset-password?token=${resetToken}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('name="password"');
      const tooShort = await phone.submitForm('/reset-password', { token: resetToken, password: 'short' });
      expect(tooShort.status).toBe(422);
      const done = await phone.submitForm('/reset-password', { token: resetToken, password: 'a brand new password' });
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Password changed');
      expect((await phone.call('GET', '/api/session')).status).toBe(200);

      // Every other session ended; the old password is gone; the link works once.
      expect((await laptop.call('GET', '/api/session')).status).toBe(401);
      expect((await h.call('GET', '/api/session')).status).toBe(401);
      expect((await h.newBrowser().call('POST', '/api/signin', { email: 'reset@example.com', password: PASSWORD })).status).toBe(401);
      expect((await h.newBrowser().call('POST', '/api/signin', { email: 'reset@example.com', password: 'a brand new password' })).status).toBe(200);
      const again = await h.newBrowser().call('POST', '/api/password-reset/confirm', { token: resetToken, password: 'yet another password' });
      expect(again.status).toBe(400);
    } finally {
      mailer.close();
      await h.close();
    }
  });

  it('answers at once while the SMTP server hangs; the mail stays queued for its retry', async () => {
    // A server that accepts connections and never says a word: the old design hung sign-up here.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const hanging = createSmtpMailer(`smtp://127.0.0.1:${(silent.address() as AddressInfo).port}?ignoreTLS=true&greetingTimeout=300&connectionTimeout=300`, 'Perso <no-reply@perso.test>');
    const h = createHarness({ mailer: hanging });
    try {
      const started = Date.now();
      const response = await h.app.request('/api/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'slow@example.com', password: PASSWORD }) });
      expect(response.status).toBe(202);
      expect(Date.now() - started).toBeLessThan(1_000);
      await h.mail.drain();
      // Queued, not lost: the try failed and waits for its retry.
      expect(await h.store.countMailTo('slow@example.com', 0)).toBe(1);
    } finally {
      hanging.close();
      await h.close();
      silent.close();
    }
  });
});
