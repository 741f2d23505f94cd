import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../../server/mail/smtp.js';
import { createHarness, ORIGIN } from './helpers.js';

interface Received {
  from: string;
  to: string[];
  mail: ParsedMail;
}

/** A real SMTP server on a random local port that keeps what it receives. */
let server: SMTPServer;
let port: number;
const inbox: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const message = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), mail };
          inbox.push(message);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('mail through SMTP', () => {
  it('delivers the verification mail, whose link verifies the account', async () => {
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}?ignoreTLS=true`, 'Perso <no-reply@perso.test>');
    const h = createHarness({ mailer });
    try {
      const response = await h.call('POST', '/api/signup', { email: 'ada@example.com', password: 'correct horse battery' });
      expect(response.status).toBe(202);
      expect(h.outbox.messages).toEqual([]);
      // The route awaits delivery, so the server has the message by now.
      expect(inbox).toHaveLength(1);
      const { from, to, mail } = inbox[0]!;
      expect(from).toBe('no-reply@perso.test');
      expect(to).toEqual(['ada@example.com']);
      expect(mail.subject).toBe('Verify your email for Perso AI Platform');
      expect(mail.from?.value).toEqual([{ address: 'no-reply@perso.test', name: 'Perso' }]);
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([{ address: 'ada@example.com', name: '' }]);

      const linkPattern = new RegExp(`${ORIGIN}/verify-email\\?token=([\\w-]{43})`);
      const fromText = linkPattern.exec(mail.text ?? '');
      const fromHtml = linkPattern.exec(typeof mail.html === 'string' ? mail.html : '');
      expect(fromText?.[1]).toBeDefined();
      expect(fromHtml?.[1]).toBe(fromText![1]);
      expect(mail.html).toMatch(/<a href="http:\/\/localhost:8787\/verify-email\?token=[\w-]{43}"/);

      const verified = await h.app.request(`/verify-email?token=${fromText![1]}`);
      expect(verified.status).toBe(200);
      expect(await h.store.findUserByEmail('ada@example.com')).toMatchObject({ emailVerifiedAt: h.clock.ms });
      const signIn = await h.call('POST', '/api/signin', { email: 'ada@example.com', password: 'correct horse battery' });
      expect(signIn.status).toBe(200);
    } finally {
      mailer.close();
      await h.close();
    }
  });

  it('answers sign-up the same when the SMTP server is down', async () => {
    const closed = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const mailer = createSmtpMailer(`smtp://127.0.0.1:${deadPort}?ignoreTLS=true&connectionTimeout=2000`, 'Perso <no-reply@perso.test>');
    const h = createHarness({ mailer });
    try {
      const response = await h.call('POST', '/api/signup', { email: 'ada@example.com', password: 'correct horse battery' });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ status: 'verification_sent' });
    } finally {
      mailer.close();
      await h.close();
    }
  });
});
