import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { RateDecision } from '../auth/rate-limit.js';
import { clientRateLimitKey } from '../http/client-address.js';
import { decoyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords.js';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import type { Organization } from '../config.js';
import { DEFAULT_ORGANIZATION } from '../config.js';
import { AppError, rateLimited, validationFailed } from '../errors.js';
import { existingAccountMail, verificationMail } from '../mail/templates.js';
import type { MailMessage } from '../mail/mailer.js';
import {
  ConfigResponse,
  errorResponses,
  OrganizationId,
  ResendBody,
  SignInBody,
  SignUpBody,
  TokenBody,
  UserResponse,
  VerificationSent,
} from '../schemas.js';
import { findOrganization, type Services, userJson } from '../services.js';
import type { UserRecord } from '../store/types.js';
import { verificationPage } from './verification-page.js';
import { validationHook } from '../http.js';

const TOKEN_TTL_MS = 24 * 3_600_000;
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const ok = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

export function accountRoutes(s: Services) {
  const { store, config, clock, limits } = s;
  const address = (c: Context) => clientRateLimitKey(c, config.trustProxy);
  const limit = async (decision: Promise<RateDecision>) => {
    const { allowed, retryAfterS } = await decision;
    if (!allowed) throw rateLimited(retryAfterS);
  };

  /** Mail failures are logged, not shown: the answer must not differ between existing and new accounts. */
  async function deliver(mail: Promise<MailMessage>): Promise<void> {
    try {
      await s.mailer.send(await mail);
    } catch (error) {
      s.log('Could not send mail', error);
    }
  }

  async function sendVerification(user: UserRecord, organization: Organization, passwordHash: string | null, redirect: string | null) {
    const token = randomToken();
    const now = clock.now();
    await store.createVerificationToken({ tokenHash: sha256Hex(token), userId: user.id, passwordHash, redirect, expiresAt: now + TOKEN_TTL_MS, createdAt: now });
    await deliver(verificationMail(user.email, organization.name, `${config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`));
  }

  async function verify(c: Context, token: string) {
    await limit(limits.verifyPerAddress.hit(address(c)));
    const result = await store.consumeVerificationToken(sha256Hex(token), clock.now());
    if (result.status === 'invalid') throw new AppError(400, 'invalid_token');
    if (result.status === 'expired') throw new AppError(400, 'token_expired');
    await s.sessions.start(c, result.user.id);
    return result;
  }

  const allowedRedirect = (organizationId: string, redirect: string | null) =>
    redirect !== null && (config.organizations.get(organizationId)?.allowedOrigins.includes(new URL(redirect).origin) ?? false);

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
        const organization = findOrganization(config, c.req.valid('query').organization ?? DEFAULT_ORGANIZATION);
        return c.json(
          {
            organization: { id: organization.id, name: organization.name },
            // Passkey and social sign-in are not served by this server version, whatever the file enables.
            methods: { password: organization.methods.password, passkey: false, social: [] },
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
        summary: 'Create an account with email and password; sends the verification mail',
        description: 'Answers the same 202 whether or not the email already has an account.',
        request: { body: json(SignUpBody) },
        responses: { 202: ok('Verification mail sent', VerificationSent), ...errorResponses(404, 422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const organization = findOrganization(config, body.organization ?? DEFAULT_ORGANIZATION);
        if (!organization.methods.password) throw new AppError(403, 'method_disabled');
        if (body.redirect && !allowedRedirect(organization.id, body.redirect)) {
          throw validationFailed({ redirect: "The redirect must be on one of the organization's allowed origins." });
        }
        await limit(limits.signUpPerAddress.hit(address(c)));
        await limit(limits.signUpPerEmail.hit(body.email));
        await limit(limits.signUpGlobal.hit('all'));
        // Hash first on every path so an existing account answers no faster than a new one.
        const passwordHash = await hashPassword(body.password);
        let user = await store.findUserByEmail(body.email);
        if (!user) {
          const candidate: UserRecord = {
            id: randomUUID(),
            email: body.email,
            organizationId: organization.id,
            passwordHash: null,
            emailVerifiedAt: null,
            createdAt: clock.now(),
          };
          try {
            await store.createUser(candidate);
            user = candidate;
          } catch (error) {
            user = await store.findUserByEmail(body.email); // lost a race with a concurrent sign-up
            if (!user) throw error;
          }
        }
        if (user.emailVerifiedAt !== null) {
          await deliver(existingAccountMail(user.email, organization.name, body.redirect ?? config.publicUrl));
        } else {
          await sendVerification(user, organization, passwordHash, body.redirect ?? null);
        }
        return c.json({ status: 'verification_sent' as const }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/verify-email',
        tags: ['Accounts'],
        summary: 'Verify an email with the token from the mail; signs the user in',
        request: { body: json(TokenBody) },
        responses: { 200: ok('Verified and signed in', UserResponse), ...errorResponses(400, 422, 429) },
      }),
      async (c) => {
        const { user } = await verify(c, c.req.valid('json').token);
        return c.json({ user: userJson(user) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/verify-email',
        tags: ['Accounts'],
        summary: 'The link in the verification mail',
        // No length limit: whatever a mangled link carries must land on the error page, not a JSON 422.
        request: { query: z.object({ token: z.string().optional() }) },
        responses: { 303: { description: "Verified: redirect to the sign-up's page" }, 200: { description: 'Verified: a small page' }, 400: { description: 'Invalid or expired link: a small page' } },
      }),
      async (c) => {
        try {
          const { user, redirect } = await verify(c, c.req.valid('query').token ?? '');
          if (redirect && allowedRedirect(user.organizationId, redirect)) return c.redirect(redirect, 303);
          return c.html(verificationPage({ ok: true, email: user.email, home: config.publicUrl }), 200);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return c.html(verificationPage({ ok: false, message: error.message, home: config.publicUrl }), error.status === 429 ? 429 : 400, error.headers);
        }
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/verify-email/resend',
        tags: ['Accounts'],
        summary: 'Send the verification mail again',
        description: 'Answers 202 whether or not the email has an account waiting for verification.',
        request: { body: json(ResendBody) },
        responses: { 202: ok('Accepted', VerificationSent), ...errorResponses(422, 429) },
      }),
      async (c) => {
        const { email } = c.req.valid('json');
        await limit(limits.resendPerAddress.hit(address(c)));
        await limit(limits.resendPerEmail.hit(email));
        const user = await store.findUserByEmail(email);
        if (user && user.emailVerifiedAt === null) {
          const organization = findOrganization(config, user.organizationId);
          const pending = await store.pendingSignUp(user.id);
          await sendVerification(user, organization, pending?.passwordHash ?? null, pending?.redirect ?? null);
        }
        return c.json({ status: 'verification_sent' as const }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/signin',
        tags: ['Accounts'],
        summary: 'Sign in with email and password',
        request: { body: json(SignInBody) },
        responses: { 200: ok('Signed in', UserResponse), ...errorResponses(401, 403, 422, 429) },
      }),
      async (c) => {
        const { email, password } = c.req.valid('json');
        await limit(limits.signInPerAddress.hit(address(c)));
        await limit(limits.signInPerEmail.hit(email));
        await limit(limits.signInGlobal.hit('all'));
        const user = await store.findUserByEmail(email);
        const hash = !user ? null : user.emailVerifiedAt !== null ? user.passwordHash : ((await store.pendingSignUp(user.id))?.passwordHash ?? null);
        // Unknown emails are checked against a decoy hash: same answer, same time as a wrong password.
        const matches = await verifyPassword(hash ?? (await decoyPasswordHash), password);
        if (!user || !hash || !matches) throw new AppError(401, 'invalid_credentials');
        if (user.emailVerifiedAt === null) throw new AppError(403, 'email_not_verified');
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
