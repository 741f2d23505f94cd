import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.js';

/** Delivers through any SMTP server named by a URL such as `smtp://user:pass@host:587`. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send({ to, subject, text, html }) {
      await transport.sendMail({ from, to, subject, text, html });
    },
    close: () => transport.close(),
  };
}
