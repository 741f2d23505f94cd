import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AccountError, confirmPasswordReset, inspectLink, inspectResetToken, requestPasswordReset, resend, verifyByLink } from '../accounts/index.js';
import { requestHeader } from '../auth/node-request.js';
import { clientRateLimitKey } from '../http/client-address.js';
import { readSignupBinding } from '../auth/signup-cookie.js';
import { pickLocale, strings } from '../i18n/index.js';
import {
  confirmVerificationPage,
  type LinkProblem,
  passwordChangedPage,
  requestResetPage,
  resentPage,
  resetPasswordPage,
  verificationProblemPage,
  verifiedPage,
} from '../pages/account-pages.js';
import { PAGE_SCRIPT } from '../pages/layout.js';
import { Email, Password } from '../schemas.js';
import type { Services } from '../services.js';
import type { Locale } from '../store/types.js';

const PROBLEMS: Partial<Record<AccountError['code'], LinkProblem>> = {
  invalid_token: 'invalid',
  token_expired: 'expired',
  other_browser: 'other_browser',
  attempt_closed: 'closed',
  rate_limited: 'busy',
  origin_not_allowed: 'origin',
};
const STATUS: Record<LinkProblem, 400 | 403 | 429> = { invalid: 400, expired: 400, closed: 400, other_browser: 403, origin: 403, busy: 429 };
const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');

/**
 * The pages mail links open: the verification link's confirm page and the password reset
 * pages. GET and HEAD only show; every change is a POST from the page itself (its script sends
 * the verification form at once; without script, its button does).
 */
export function accountPages(s: Services) {
  const { config, accounts } = s;
  const ownOrigin = new URL(config.publicUrl).origin;
  const address = (c: Context) => clientRateLimitKey(c, config.trustProxy);
  const pageLocale = (c: Context, known?: Locale) => known ?? pickLocale(undefined, requestHeader(c, 'accept-language'));
  const formLimit = bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Payload too large', 413) });
  /** Forms are only sent from these pages: a post from anywhere else could sign a victim's browser in. */
  const fromOwnPage = (c: Context) => requestHeader(c, 'origin') === ownOrigin;
  const problemOf = (error: unknown): LinkProblem => {
    if (error instanceof AccountError && PROBLEMS[error.code]) return PROBLEMS[error.code]!;
    throw error;
  };

  return new Hono()
    .get('/pages/perso-pages.js', (c) => c.body(PAGE_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' }))
    .get('/verify-email', async (c) => {
      const token = c.req.query('token') ?? '';
      const { status, attempt } = await inspectLink(accounts, token, readSignupBinding(c));
      const locale = pageLocale(c, attempt?.locale);
      if (status === 'ready') return c.html(confirmVerificationPage(locale, attempt!.email, token));
      return c.html(verificationProblemPage(locale, status, config.appUrl, token), STATUS[status]);
    })
    .post('/verify-email', formLimit, async (c) => {
      const token = field(await c.req.parseBody(), 'token');
      const { attempt } = await inspectLink(accounts, token);
      const locale = pageLocale(c, attempt?.locale);
      try {
        if (!fromOwnPage(c)) throw new AccountError('origin_not_allowed');
        const { user, redirect } = await verifyByLink(accounts, { token, binding: readSignupBinding(c), address: address(c) });
        await s.sessions.start(c, user.id);
        return c.html(verifiedPage(locale, user.email, redirect ?? config.appUrl));
      } catch (error) {
        const problem = problemOf(error);
        return c.html(verificationProblemPage(locale, problem, config.appUrl, token), STATUS[problem]);
      }
    })
    .post('/verify-email/resend', formLimit, async (c) => {
      const token = field(await c.req.parseBody(), 'token');
      const { attempt } = await inspectLink(accounts, token);
      const locale = pageLocale(c, attempt?.locale);
      try {
        if (!fromOwnPage(c)) throw new AccountError('origin_not_allowed');
        await resend(accounts, { token, address: address(c) });
        return c.html(resentPage(locale, config.appUrl), 202);
      } catch (error) {
        const problem = problemOf(error);
        return c.html(verificationProblemPage(locale, problem, config.appUrl), STATUS[problem]);
      }
    })
    .get('/reset-password', async (c) => {
      const token = c.req.query('token');
      const locale = pageLocale(c);
      if (token === undefined) return c.html(requestResetPage(locale));
      if ((await inspectResetToken(accounts, token)) === 'ready') return c.html(resetPasswordPage(locale, token));
      return c.html(requestResetPage(locale, { notice: 'invalid_link' }), 400);
    })
    .post('/reset-password', formLimit, async (c) => {
      const form = await c.req.parseBody();
      const token = field(form, 'token');
      const locale = pageLocale(c);
      const t = strings(locale);
      const password = Password.safeParse(field(form, 'password'));
      try {
        if (!fromOwnPage(c)) throw new AccountError('origin_not_allowed');
        if (!password.success) {
          const tooLong = field(form, 'password').length > 256;
          return c.html(resetPasswordPage(locale, token, tooLong ? t['page.reset.tooLong'] : t['page.reset.tooShort']), 422);
        }
        const user = await confirmPasswordReset(accounts, { token, password: password.data });
        await s.sessions.start(c, user.id);
        return c.html(passwordChangedPage(locale, config.appUrl));
      } catch (error) {
        const problem = problemOf(error);
        if (problem === 'origin') return c.html(verificationProblemPage(locale, problem, config.appUrl), 403);
        return c.html(requestResetPage(locale, { notice: 'invalid_link' }), 400);
      }
    })
    .post('/reset-password/request', formLimit, async (c) => {
      const raw = field(await c.req.parseBody(), 'email');
      const locale = pageLocale(c);
      const email = Email.safeParse(raw);
      if (!email.success) return c.html(requestResetPage(locale, { error: strings(locale)['page.resetRequest.invalidEmail'], email: raw.slice(0, 254) }), 422);
      try {
        if (!fromOwnPage(c)) throw new AccountError('origin_not_allowed');
        await requestPasswordReset(accounts, { email: email.data, locale, address: address(c) });
        return c.html(requestResetPage(locale, { notice: 'sent' }), 202);
      } catch (error) {
        const problem = problemOf(error);
        if (problem === 'origin') return c.html(verificationProblemPage(locale, problem, config.appUrl), 403);
        return c.html(requestResetPage(locale, { notice: 'busy', email: email.data }), 429);
      }
    });
}
