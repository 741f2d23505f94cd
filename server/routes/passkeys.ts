import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Context } from 'hono';
import {
  addPasskey,
  addPasskeyOptions,
  passkeySignIn,
  passkeySignInOptions,
  passkeySignUpOptions,
  passkeySignUpVerify,
  removePasskey,
} from '../accounts/index.js';
import { requestHeader } from '../auth/node-request.js';
import { clientRateLimitKey } from '../http/client-address.js';
import { requireSession, type SessionVariables } from '../auth/require-session.js';
import { readSignupBinding, setSignupBinding } from '../auth/signup-cookie.js';
import { readWebauthnBinding, setWebauthnBinding } from '../auth/webauthn-cookie.js';
import { toIso } from '../clock.js';
import { validationHook } from '../http.js';
import { pickLocale } from '../i18n/index.js';
import {
  AddPasskeyBody,
  errorResponses,
  Passkey,
  PasskeyList,
  PasskeyOptions,
  PasskeySignInBody,
  PasskeySignInOptionsBody,
  PasskeySignUpOptionsBody,
  PasskeySignUpVerifyBody,
  UserResponse,
  VerificationSent,
} from '../schemas.js';
import { type Services, userJson } from '../services.js';
import type { PasskeyRecord } from '../store/types.js';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
const ok = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

const passkeyJson = (p: PasskeyRecord): z.infer<typeof Passkey> => ({
  id: p.id,
  name: p.name,
  credentialId: p.credentialId,
  deviceType: p.deviceType,
  backedUp: p.backedUp,
  createdAt: toIso(p.createdAt),
  lastUsedAt: p.lastUsedAt === null ? null : toIso(p.lastUsedAt),
});

// The schemas check the shape at the edge; the WebAuthn library checks every byte after.
const registration = (response: z.infer<typeof AddPasskeyBody>['response']) => response as unknown as RegistrationResponseJSON;
const assertion = (response: z.infer<typeof PasskeySignInBody>['response']) => response as unknown as AuthenticationResponseJSON;

/** The passkey routes of API.md §3 and the signed-in user's passkey management. */
export function passkeyRoutes(s: Services) {
  const { config, accounts } = s;
  const address = (c: Context) => clientRateLimitKey(c, config.trustProxy);
  const origin = (c: Context) => requestHeader(c, 'origin');
  const app = new OpenAPIHono<{ Variables: SessionVariables }>({ defaultHook: validationHook });
  // Exact paths: `/api/passkeys/signup/*` and `/signin/*` are for people who are not signed in.
  // `options` by its one method: for every method, beside `DELETE /:id`, it would push the whole
  // app from Hono's RegExpRouter onto the slower TrieRouter, for every request (a test checks).
  app.use('/api/passkeys', requireSession(s.sessions, s.config));
  app.on('POST', '/api/passkeys/options', requireSession(s.sessions, s.config));
  app.on('DELETE', '/api/passkeys/:id', requireSession(s.sessions, s.config));

  return app
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/passkeys/signup/options',
        tags: ['Passkeys'],
        summary: 'Creation options for signing up with a passkey',
        description: 'The same whether or not the email has an account. Sets `perso_webauthn`, which binds the challenge (single use, 5 minutes) to this browser.',
        request: { body: json(PasskeySignUpOptionsBody) },
        responses: { 200: ok('Creation options', PasskeyOptions), ...errorResponses(403, 404, 422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const result = await passkeySignUpOptions(accounts, { ...body, origin: origin(c), binding: readWebauthnBinding(c), address: address(c) });
        setWebauthnBinding(c, config, result.binding);
        return c.json({ options: result.options }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/passkeys/signup/verify',
        tags: ['Passkeys'],
        summary: 'Start a sign-up holding the new passkey; mails a link and a code',
        description:
          'A sign-up attempt like `POST /api/signup`: the same 202 whether or not the email has an account, `perso_signup` set, completed by its link in this browser or its code. The passkey is never added to an existing account.',
        request: { body: json(PasskeySignUpVerifyBody) },
        responses: { 202: ok('Attempt started; mail queued', VerificationSent), ...errorResponses(400, 403, 404, 409, 422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const result = await passkeySignUpVerify(accounts, {
          email: body.email,
          response: registration(body.response),
          redirect: body.redirect,
          locale: pickLocale(body.locale, requestHeader(c, 'accept-language')),
          origin: origin(c),
          webauthnBinding: readWebauthnBinding(c),
          signupBinding: readSignupBinding(c),
          userAgent: requestHeader(c, 'user-agent'),
          address: address(c),
        });
        setSignupBinding(c, config, result.binding);
        return c.json({ status: 'verification_sent' as const, attempt: result.attempt, mailHeld: result.mailHeld }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/passkeys/signin/options',
        tags: ['Passkeys'],
        summary: 'Request options for signing in with a discoverable passkey',
        request: { body: json(PasskeySignInOptionsBody) },
        responses: { 200: ok('Request options', PasskeyOptions), ...errorResponses(403, 404, 422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const result = await passkeySignInOptions(accounts, { ...body, origin: origin(c), binding: readWebauthnBinding(c), address: address(c) });
        setWebauthnBinding(c, config, result.binding);
        return c.json({ options: result.options }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/passkeys/signin/verify',
        tags: ['Passkeys'],
        summary: 'Sign in with a passkey',
        request: { body: json(PasskeySignInBody) },
        responses: { 200: ok('Signed in', UserResponse), ...errorResponses(400, 401, 403, 422, 429) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const user = await passkeySignIn(accounts, { response: assertion(body.response), origin: origin(c), binding: readWebauthnBinding(c), address: address(c) });
        await s.sessions.start(c, user.id);
        return c.json({ user: userJson(user) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/passkeys',
        tags: ['Passkeys'],
        summary: "The signed-in user's passkeys, oldest first",
        responses: { 200: ok('Passkeys', PasskeyList), ...errorResponses(401) },
      }),
      async (c) => {
        const passkeys = await s.store.listPasskeys(c.get('session').user.id);
        return c.json({ passkeys: passkeys.map(passkeyJson), rpId: config.webauthn.rpId }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/passkeys/options',
        tags: ['Passkeys'],
        summary: 'Creation options for adding a passkey to the signed-in account',
        responses: { 200: ok('Creation options', PasskeyOptions), ...errorResponses(401, 403) },
      }),
      async (c) => {
        const result = await addPasskeyOptions(accounts, { user: c.get('session').user, binding: readWebauthnBinding(c) });
        setWebauthnBinding(c, config, result.binding);
        return c.json({ options: result.options }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/passkeys',
        tags: ['Passkeys'],
        summary: 'Add a passkey to the signed-in account',
        request: { body: json(AddPasskeyBody) },
        responses: { 201: ok('Added', z.object({ passkey: Passkey })), ...errorResponses(400, 401, 403, 409, 422) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const passkey = await addPasskey(accounts, {
          user: c.get('session').user,
          response: registration(body.response),
          binding: readWebauthnBinding(c),
          userAgent: requestHeader(c, 'user-agent'),
        });
        return c.json({ passkey: passkeyJson(passkey) }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/passkeys/{id}',
        tags: ['Passkeys'],
        summary: 'Remove a passkey',
        description: 'Refused with 409 `last_sign_in_method` for the last passkey of an account without a password.',
        request: { params: z.object({ id: z.string() }) },
        responses: { 204: { description: 'Removed' }, ...errorResponses(401, 403, 404, 409) },
      }),
      async (c) => {
        await removePasskey(accounts, { userId: c.get('session').user.id, id: c.req.valid('param').id });
        return c.body(null, 204);
      },
    );
}
