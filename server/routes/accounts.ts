import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { confirmPasswordReset, findOrganization, requestPasswordReset, resend, signIn, startSignUp, verifyByCode, verifyByLink } from '../accounts/index.js';
import { requestHeader } from '../auth/node-request.js';
import { clientRateLimitKey } from '../http/client-address.js';
import { readSignupBinding, setSignupBinding } from '../auth/signup-cookie.js';
import { AppError } from '../errors.js';
import { validationHook } from '../http.js';
import { pickLocale } from '../i18n/index.js';
import {
  ConfigResponse,
  errorResponses,
  OrganizationId,
  PasswordResetBody,
  ResendAnswer,
  ResendBody,
  ResetConfirmBody,
  ResetSent,
  SignInBody,
  SignUpBody,
  UserResponse,
  VerificationSent,
  VerifyBody,
} from '../schemas.js';
import { type Services, userJson } from '../services.js';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const ok = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

/** The account routes of API.md §2: parse, call the account rules, answer. */
export function accountRoutes(s: Services) {
  const { config, accounts } = s;
  const address = (c: Context) => clientRateLimitKey(c, config.trustProxy);
  const origin = (c: Context) => requestHeader(c, 'origin');
  const locale = (c: Context, requested?: string) => pickLocale(requested, requestHeader(c, 'accept-language'));

  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/config',
        tags: ['Accounts'],
        summary: "An organization's name and enabled sign-up methods",
        request: { query: z.object({ organization: OrganizationId.optional() }) },
        responses: { 200: ok('Organization settings', ConfigResponse), ...errorResponses(404) },
      }),
      (c) => {
        const organization = findOrganization(config, c.req.valid('query').organization);
        return c.json(
          {
            organization: { id: organization.id, name: organization.name },
            // Social sign-in is not served by this server version, whatever the file enables.
            methods: { password: organization.methods.password, passkey: organization.methods.passkey, social: [] },
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/signup',
        tags: ['Accounts'],
        summary: 'Start a sign-up with email and password; mails a link and a code',
        description:
          'Answers the same 202 whether or not the email already has an account, and sets `perso_signup`, which binds the attempt to this browser: its link completes it only here; its code only with `attempt`.',
        request: { body: json(SignUpBody) },
        responses: { 202: ok('Attempt started; mail queued', VerificationSent), ...errorResponses(403, 404, 422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const result = await startSignUp(accounts, {
          email: body.email,
          password: body.password,
          organization: body.organization,
          redirect: body.redirect,
          locale: locale(c, body.locale),
          origin: origin(c),
          binding: readSignupBinding(c),
          address: address(c),
        });
        setSignupBinding(c, config, result.binding);
        return c.json({ status: 'verification_sent' as const, attempt: result.attempt, mailHeld: result.mailHeld }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/verify-email',
        tags: ['Accounts'],
        summary: 'Complete a sign-up with its link token (in its browser) or its code; signs in',
        request: { body: json(VerifyBody) },
        responses: { 200: ok('Verified and signed in', UserResponse), ...errorResponses(400, 403, 422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const { user } = body.token
          ? await verifyByLink(accounts, { token: body.token, binding: readSignupBinding(c), address: address(c) })
          : await verifyByCode(accounts, { attempt: body.attempt!, code: body.code!, address: address(c) });
        await s.sessions.start(c, user.id);
        return c.json({ user: userJson(user) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/verify-email/resend',
        tags: ['Accounts'],
        summary: "Send this browser's sign-up mail again (a new link and code)",
        description: 'Names the attempt by `attempt`, else by the `perso_signup` cookie. Answers 202 whatever was found.',
        request: { body: json(ResendBody) },
        responses: { 202: ok('Accepted', ResendAnswer), ...errorResponses(422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const { mailHeld } = await resend(accounts, { attempt: body.attempt, token: body.token, binding: readSignupBinding(c), address: address(c) });
        return c.json({ status: 'verification_sent' as const, mailHeld }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/signin',
        tags: ['Accounts'],
        summary: 'Sign in with email and password',
        description: 'The password of an open sign-up answers 403 `email_not_verified` with its `attempt`, whether or not the email also has an account.',
        request: { body: json(SignInBody) },
        responses: { 200: ok('Signed in', UserResponse), ...errorResponses(401, 403, 422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const user = await signIn(accounts, { email: body.email, password: body.password, organization: body.organization, origin: origin(c), address: address(c) });
        await s.sessions.start(c, user.id);
        return c.json({ user: userJson(user) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/password-reset',
        tags: ['Accounts'],
        summary: 'Mail a link to choose a new password',
        description: 'Answers 202 whether or not the email has an account.',
        request: { body: json(PasswordResetBody) },
        responses: { 202: ok('Accepted', ResetSent), ...errorResponses(422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        await requestPasswordReset(accounts, { email: body.email, locale: locale(c, body.locale), address: address(c) });
        return c.json({ status: 'reset_sent' as const }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/password-reset/confirm',
        tags: ['Accounts'],
        summary: 'Set a new password with the mailed token; ends every other session and signs in',
        request: { body: json(ResetConfirmBody) },
        responses: { 200: ok('Password changed, signed in', UserResponse), ...errorResponses(400, 422) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const user = await confirmPasswordReset(accounts, body);
        await s.sessions.start(c, user.id);
        return c.json({ user: userJson(user) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/signout',
        tags: ['Accounts'],
        summary: 'End the session',
        responses: { 204: { description: 'Signed out' } },
      }),
      async (c) => {
        await s.sessions.end(c);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/session',
        tags: ['Accounts'],
        summary: 'The signed-in user',
        responses: { 200: ok('Signed in', UserResponse), ...errorResponses(401) },
      }),
      async (c) => {
        const session = await s.sessions.read(c);
        if (!session) throw new AppError(401, 'unauthenticated');
        return c.json({ user: userJson(session.user) }, 200);
      },
    );
}
