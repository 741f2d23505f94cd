import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AccountError, checkReturnTo, consumeState, fallbackReturnTo, finishSocialSignIn, providerError, startSocialSignIn } from '../accounts/index.js';
import { requestHeader } from '../auth/node-request.js';
import { readOAuthBinding, setOAuthBinding } from '../auth/oauth-cookie.js';
import { readSignupBinding, setSignupBinding } from '../auth/signup-cookie.js';
import { clientRateLimitKey } from '../http/client-address.js';
import { pickLocale } from '../i18n/index.js';
import { socialRefusedPage } from '../pages/account-pages.js';
import type { Services } from '../services.js';

/** `return_to` with the contract's query parameter added; the page reads it and shows the sentence. */
function withParam(returnTo: string, name: string, value: string): string {
  const url = new URL(returnTo);
  url.searchParams.set(name, value);
  return url.toString();
}

const provider = z.object({ provider: z.string().openapi({ example: 'github', description: '`github`, `google` or `oidc`' }) });
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const redirect = (description: string) => ({ description, headers: { Location: { schema: { type: 'string' as const } } } });

// Query values are read raw in the handlers: a bad one must become a redirect or a page, never
// the JSON 422 a validator would answer in the user's tab.
const startRoute = createRoute({
  method: 'get',
  path: '/api/oauth/{provider}/start',
  tags: ['Social sign-in'],
  summary: "Leave for the provider's sign-in page (state, PKCE S256, nonce for OpenID)",
  description:
    'Query: `organization` (default `default`) and `return_to` (an URL on one of its allowed origins; default `PERSO_APP_URL`). Sets `perso_oauth` (10 minutes), which binds the state to this browser. Failures come back to `return_to?perso_error=code`.',
  request: { params: provider },
  responses: {
    302: redirect("To the provider's authorization page"),
    303: redirect('To `return_to?perso_error=code`: provider not enabled, unreachable, or too many starts'),
    400: html('`return_to` is not on an allowed origin: a page, no redirect'),
    404: html('Unknown organization: a page, no redirect'),
  },
});

const callbackRoute = createRoute({
  method: 'get',
  path: '/api/oauth/{provider}/callback',
  tags: ['Social sign-in'],
  summary: 'Where the provider sends the browser back; signs in, links, or starts the email verification',
  description:
    'Redirect URI to register at the provider: `{PERSO_PUBLIC_URL}/api/oauth/{provider}/callback`. Answers 303 to `return_to` (signed in), `return_to?perso_attempt=id` (the provider did not vouch for the email: a verification mail was sent, for this browser), or `return_to?perso_error=code`.',
  request: { params: provider },
  responses: { 303: redirect('To `return_to`, with `perso_error` or `perso_attempt` when there is more to say') },
});

/**
 * The social sign-in routes of API.md §4. They are top-level navigations of the user's tab, so
 * every failure is a redirect to `return_to?perso_error=code` (the element shows the sentence),
 * never a JSON body; a `return_to` that is not allowed gets a page, never a redirect to it.
 */
export function oauthRoutes(s: Services) {
  const { config } = s;
  const deps = { ...s.accounts, oauth: s.oauth };
  const address = (c: Context) => clientRateLimitKey(c, config.trustProxy);
  const locale = (c: Context) => pickLocale(undefined, requestHeader(c, 'accept-language'));
  // The tab leaves with a sentence to show even when something broke on our side.
  const fail = (c: Context, returnTo: string, error: unknown) => {
    if (!(error instanceof AccountError)) s.log(`Social sign-in failed on ${c.req.path}`, error);
    return c.redirect(withParam(returnTo, 'perso_error', error instanceof AccountError ? error.code : 'internal_error'), 303);
  };

  return new OpenAPIHono()
    .openapi(startRoute, async (c) => {
      const { organization, return_to: requested } = c.req.query();
      let returnTo: string;
      try {
        returnTo = checkReturnTo(deps, organization, requested);
      } catch (error) {
        if (!(error instanceof AccountError)) throw error;
        const status = error.code === 'unknown_organization' ? 404 : 400;
        return c.html(socialRefusedPage(locale(c), error.code === 'unknown_organization' ? 'organization' : 'return_to', config.appUrl), status);
      }
      try {
        const session = await s.sessions.read(c);
        const started = await startSocialSignIn(deps, {
          provider: c.req.param('provider'),
          organization,
          returnTo,
          binding: readOAuthBinding(c),
          signedInUserId: session?.user.id,
          address: address(c),
        });
        setOAuthBinding(c, config, started.binding);
        return c.redirect(started.url.toString(), 302);
      } catch (error) {
        return fail(c, returnTo, error);
      }
    })
    .openapi(callbackRoute, async (c) => {
      const query = c.req.query();
      let flow: Awaited<ReturnType<typeof consumeState>>;
      try {
        flow = await consumeState(deps, { provider: c.req.param('provider'), state: query.state, binding: readOAuthBinding(c) });
      } catch (error) {
        return fail(c, fallbackReturnTo(deps), error);
      }
      try {
        if (query.error) throw providerError(query.error);
        // The URL the provider redirected to, as registered there: the public URL, not the listen address.
        const callbackUrl = new URL(`${config.publicUrl}${c.req.path}${new URL(c.req.url).search}`);
        const outcome = await finishSocialSignIn(deps, { flow, callbackUrl, locale: locale(c), signupBinding: readSignupBinding(c) });
        if (outcome.kind === 'verification_sent') {
          setSignupBinding(c, config, outcome.binding);
          return c.redirect(withParam(outcome.returnTo, 'perso_attempt', outcome.attempt), 303);
        }
        await s.sessions.start(c, outcome.user.id);
        return c.redirect(outcome.returnTo, 303);
      } catch (error) {
        return fail(c, flow.returnTo, error);
      }
    });
}
