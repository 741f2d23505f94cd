import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.js';

/** Delivers through any SMTP server named by a URL such as `smtp://user:pass@host:587`. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer & { close(): void } {
  // Bounded waits: a hanging server fails the try (the queue retries later) instead of holding the worker.
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return {
    async send({ to, subject, text, html }) {
      await transport.sendMail({ from, to, subject, text, html });
    },
    close: () => transport.close(),
  };
}
