import { html, raw } from 'hono/html';
import { fill, strings } from '../i18n/index.js';
import type { Locale } from '../store/types.js';
import { page } from './layout.js';

export type LinkProblem = 'invalid' | 'expired' | 'other_browser' | 'closed' | 'origin' | 'busy';

const PROBLEM_TEXT = {
  invalid: 'page.invalid.body',
  expired: 'page.expired.body',
  other_browser: 'page.otherBrowser.body',
  closed: 'page.closed.body',
  origin: 'page.originRefused.body',
  busy: 'page.busy.body',
} as const;

/** The link's landing page: confirms by POST, so opening (or scanning) the link changes nothing. */
export function confirmVerificationPage(locale: Locale, email: string, token: string) {
  const t = strings(locale);
  return page({
    locale,
    title: t['page.verify.title'],
    body: html`<p>${fill(t['page.verify.confirm'], { email })}</p>
      <form method="post" action="/verify-email" data-autosubmit data-working="${t['page.verify.working']}">
        <input type="hidden" name="token" value="${token}" />
        <button type="submit">${t['page.verify.button']}</button>
      </form>`,
  });
}

export function verifiedPage(locale: Locale, email: string, continueTo: string) {
  const t = strings(locale);
  return page({ locale, title: t['page.verified.title'], body: html`<p class="status">${fill(t['page.verified.body'], { email })}</p>`, continueTo, broadcastSignedIn: true });
}

/** What went wrong with a link and what to do next; an expired link offers a new mail. */
export function verificationProblemPage(locale: Locale, problem: LinkProblem, continueTo: string, token?: string) {
  const t = strings(locale);
  const resend =
    problem === 'expired' && token
      ? html`<form method="post" action="/verify-email/resend">
          <input type="hidden" name="token" value="${token}" />
          <button type="submit">${t['page.resend.button']}</button>
        </form>`
      : raw('');
  return page({ locale, title: t['page.failed.title'], body: html`<p role="alert">${t[PROBLEM_TEXT[problem]]}</p>${resend}`, continueTo });
}

export function resentPage(locale: Locale, continueTo: string) {
  const t = strings(locale);
  return page({ locale, title: t['page.verify.title'], body: html`<p class="status" role="status">${t['page.resent.body']}</p>`, continueTo });
}

/** The reset link's page: a new-password form (nothing changes until it is sent). */
export function resetPasswordPage(locale: Locale, token: string, error?: string) {
  const t = strings(locale);
  return page({
    locale,
    title: t['page.reset.title'],
    body: html`<form method="post" action="/reset-password">
      <input type="hidden" name="token" value="${token}" />
      <div class="field">
        <label for="password">${t['page.reset.password']}</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="256"
          aria-describedby="password-hint${error ? ' password-error' : ''}" ${error ? raw('aria-invalid="true" autofocus') : raw('')} />
        <p class="hint" id="password-hint">${t['page.reset.hint']}</p>
        ${error ? html`<p class="error" id="password-error">${error}</p>` : raw('')}
      </div>
      <button type="submit">${t['page.reset.button']}</button>
    </form>`,
  });
}

export function passwordChangedPage(locale: Locale, continueTo: string) {
  const t = strings(locale);
  return page({ locale, title: t['page.reset.done.title'], body: html`<p class="status">${t['page.reset.done.body']}</p>`, continueTo, broadcastSignedIn: true });
}

/** Ask for a reset link: the page a "forgot password" mail link or a dead reset link leads to. */
export function requestResetPage(locale: Locale, options: { notice?: 'invalid_link' | 'sent' | 'busy'; error?: string; email?: string } = {}) {
  const t = strings(locale);
  const notice =
    options.notice === 'sent'
      ? html`<p class="status" role="status">${t['page.resetRequest.sent']}</p>`
      : options.notice === 'invalid_link'
        ? html`<p role="alert">${t['page.reset.invalid.body']}</p>`
        : options.notice === 'busy'
          ? html`<p role="alert">${t['page.busy.body']}</p>`
          : raw('');
  return page({
    locale,
    title: t['page.resetRequest.title'],
    body: html`${notice}
      <p>${t['page.resetRequest.body']}</p>
      <form method="post" action="/reset-password/request">
        <div class="field">
          <label for="email">${t['page.resetRequest.email']}</label>
          <input id="email" name="email" type="email" autocomplete="email" required value="${options.email ?? ''}"
            ${options.error ? raw('aria-invalid="true" aria-describedby="email-error" autofocus') : raw('')} />
          ${options.error ? html`<p class="error" id="email-error">${options.error}</p>` : raw('')}
        </div>
        <button type="submit">${t['page.resetRequest.button']}</button>
      </form>`,
  });
}

/** A social sign-in link that names a foreign `return_to` or an unknown organization: refused here, never followed. */
export function socialRefusedPage(locale: Locale, problem: 'return_to' | 'organization', continueTo: string) {
  const t = strings(locale);
  const text = problem === 'return_to' ? t['page.socialReturnRefused.body'] : t['page.socialOrganization.body'];
  return page({ locale, title: t['page.social.title'], body: html`<p role="alert">${text}</p>`, continueTo });
}
