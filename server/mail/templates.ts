import { html, raw } from 'hono/html';
import { fill, strings } from '../i18n/index.js';
import type { Locale } from '../store/types.js';
import type { MailMessage } from './mailer.js';

interface Layout {
  to: string;
  locale: Locale;
  subject: string;
  intro: string;
  /** A one-time code shown large, for people who confirm in another window. */
  code?: { label: string; value: string };
  action: { label: string; url: string };
  /** A second sentence with a link of its own. */
  extra?: { text: string; url: string };
  outro: string;
}

/** One plain-text and one HTML body from the same words. */
async function compose({ to, locale, subject, intro, code, action, extra, outro }: Layout): Promise<MailMessage> {
  const t = strings(locale);
  const text = [intro, code ? `${code.label}: ${code.value}` : '', `${action.label}: ${action.url}`, extra?.text ?? '', outro].filter(Boolean).join('\n\n');
  const body = await html`<!doctype html>
    <html lang="${locale}">
      <body style="font-family: system-ui, sans-serif; color: #111827; line-height: 1.5; max-width: 32rem; margin: 2rem auto;">
        <p>${intro}</p>
        ${code
          ? html`<p style="font-size: 0.875rem; color: #4b5563; margin-bottom: 0;">${code.label}</p>
              <p style="font-size: 2rem; font-weight: 700; letter-spacing: 0.3em; margin-top: 0.25rem;">${code.value}</p>`
          : raw('')}
        <p>
          <a href="${action.url}" style="display: inline-block; background: #4f46e5; color: #fff; padding: 0.6rem 1.2rem; border-radius: 0.5rem; text-decoration: none; font-weight: 600;">${action.label}</a>
        </p>
        <p style="font-size: 0.875rem; color: #4b5563;">${t['mail.orOpen']} ${action.url}</p>
        ${extra ? html`<p>${extra.text}</p>` : raw('')}
        <p>${outro}</p>
      </body>
    </html>`;
  return { to, subject, text, html: body.toString(), links: extra ? [action.url, extra.url] : [action.url] };
}

export function verificationMail(to: string, locale: Locale, organization: string, url: string, code: string) {
  const t = strings(locale);
  return compose({
    to,
    locale,
    subject: fill(t['mail.verify.subject'], { organization }),
    intro: fill(t['mail.verify.intro'], { organization, code }),
    code: { label: t['mail.verify.codeLabel'], value: code },
    action: { label: t['mail.verify.action'], url },
    outro: t['mail.verify.outro'],
  });
}

export function existingAccountMail(to: string, locale: Locale, organization: string, signInUrl: string, resetUrl: string) {
  const t = strings(locale);
  return compose({
    to,
    locale,
    subject: fill(t['mail.existing.subject'], { organization }),
    intro: fill(t['mail.existing.intro'], { organization }),
    action: { label: t['mail.existing.action'], url: signInUrl },
    extra: { text: fill(t['mail.existing.reset'], { url: resetUrl }), url: resetUrl },
    outro: t['mail.existing.outro'],
  });
}

export function passwordResetMail(to: string, locale: Locale, organization: string, url: string) {
  const t = strings(locale);
  return compose({
    to,
    locale,
    subject: fill(t['mail.reset.subject'], { organization }),
    intro: fill(t['mail.reset.intro'], { organization }),
    action: { label: t['mail.reset.action'], url },
    outro: t['mail.reset.outro'],
  });
}
