import { html, raw } from 'hono/html';
import type { MailMessage } from './mailer.js';

interface Layout {
  to: string;
  subject: string;
  intro: string;
  action?: { label: string; url: string };
  outro: string;
}

/** One plain-text and one HTML body from the same words. */
async function compose({ to, subject, intro, action, outro }: Layout): Promise<MailMessage> {
  const text = [intro, action ? `${action.label}: ${action.url}` : '', outro].filter(Boolean).join('\n\n');
  const body = await html`<!doctype html>
    <html lang="en">
      <body style="font-family: system-ui, sans-serif; color: #111827; line-height: 1.5; max-width: 32rem; margin: 2rem auto;">
        <p>${intro}</p>
        ${action
          ? html`<p>
                <a href="${action.url}" style="display: inline-block; background: #4f46e5; color: #fff; padding: 0.6rem 1.2rem; border-radius: 0.5rem; text-decoration: none; font-weight: 600;">${action.label}</a>
              </p>
              <p style="font-size: 0.875rem; color: #6b7280;">Or open this link: ${action.url}</p>`
          : raw('')}
        <p>${outro}</p>
      </body>
    </html>`;
  return { to, subject, text, html: body.toString(), links: action ? [action.url] : [] };
}

export const verificationMail = (to: string, organizationName: string, url: string) =>
  compose({
    to,
    subject: `Verify your email for ${organizationName}`,
    intro: `Welcome to ${organizationName}. Click the link below to verify your email address and activate your account.`,
    action: { label: 'Verify email', url },
    outro: 'The link works once and expires in 24 hours. If you did not sign up, ignore this email.',
  });

export const existingAccountMail = (to: string, organizationName: string, signInUrl: string) =>
  compose({
    to,
    subject: `You already have a ${organizationName} account`,
    intro: `Someone (hopefully you) tried to sign up for ${organizationName} with this email address, but you already have an account.`,
    action: { label: 'Sign in', url: signInUrl },
    outro: 'If it was not you, you can ignore this email: nothing has changed.',
  });
