import { z } from '@hono/zod-openapi';

/** Request and response schemas: validation at the route edge and the OpenAPI document come from these. */

export const Email = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid email address.' }).max(254, { error: 'Use at most 254 characters.' }))
  .openapi({ example: 'ada@example.com' });

export const Password = z
  .string({ error: 'Enter a password.' })
  .min(8, { error: 'Use at least 8 characters.' })
  .max(256, { error: 'Use at most 256 characters.' })
  .openapi({ example: 'correct horse battery staple' });

export const Locale = z.enum(['en', 'ko'], { error: 'Use "en" or "ko".' }).openapi({ example: 'ko' });

export const OrganizationId = z.string().min(1).max(64).openapi({ example: 'default' });

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    organizationId: z.string(),
    createdAt: z.iso.datetime(),
  })
  .openapi('User');

export const UserResponse = z.object({ user: User });

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
      attempt: z.string().optional().openapi({ description: 'With `email_not_verified`: the open sign-up the password belongs to.' }),
    }),
  })
  .openapi('Error');

export const ConfigResponse = z
  .object({
    organization: z.object({ id: z.string(), name: z.string() }),
    methods: z.object({
      password: z.boolean(),
      passkey: z.boolean(),
      social: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  })
  .openapi('OrganizationConfig');

export const SignUpBody = z
  .object({
    email: Email,
    password: Password,
    organization: OrganizationId.optional(),
    redirect: z.url({ protocol: /^https?$/, error: 'Use an absolute http(s) URL.' }).max(2048).optional(),
    locale: Locale.optional(),
  })
  .openapi('SignUp');

const AttemptId = z.string().min(1).max(64).openapi({ description: 'The sign-up attempt, as answered by `POST /api/signup`.' });
const Token = z.string({ error: 'The token is missing.' }).min(1, { error: 'The token is missing.' }).max(200);

export const VerificationSent = z
  .object({
    status: z.literal('verification_sent'),
    attempt: AttemptId,
    mailHeld: z.boolean().openapi({ description: 'True when this address got too many mails this hour and nothing was sent.' }),
  })
  .openapi('VerificationSent');

export const ResendAnswer = z.object({ status: z.literal('verification_sent'), mailHeld: z.boolean() });

export const VerifyBody = z
  .object({
    token: Token.optional(),
    attempt: AttemptId.optional(),
    code: z.string({ error: 'Enter the 6-digit code from the email.' }).regex(/^\d{6}$/, { error: 'Enter the 6-digit code from the email.' }).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.token !== undefined) return;
    if (body.attempt === undefined) ctx.addIssue({ code: 'custom', path: ['token'], message: 'Send the token from the link, or the attempt and its code.' });
    else if (body.code === undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'Enter the 6-digit code from the email.' });
  })
  .openapi('VerifyEmail', { description: 'The token from the link, or the attempt id and the code from the mail.' });

export const ResendBody = z.object({ attempt: AttemptId.optional(), token: Token.optional() }).openapi('Resend');

export const PasswordResetBody = z.object({ email: Email, locale: Locale.optional() }).openapi('PasswordReset');

export const ResetSent = z.object({ status: z.literal('reset_sent') });

export const ResetConfirmBody = z.object({ token: Token, password: Password }).openapi('PasswordResetConfirm');

export const SignInBody = z.object({ email: Email, organization: OrganizationId.optional(), password: z.string({ error: 'Enter your password.' }).min(1, { error: 'Enter your password.' }).max(256) }).openapi('SignIn');

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    maskedKey: z.string().openapi({ example: 'pak-a1b2…9f0e' }),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    usage: z.array(z.number().int()).length(30).openapi({ description: 'Uses per UTC day over the last 30 days, oldest first.' }),
  })
  .openapi('ApiKey');

export const CreateKeyBody = z
  .object({
    name: z
      .string({ error: 'Enter a name for the key.' })
      .trim()
      .min(1, { error: 'Enter a name for the key.' })
      .max(100, { error: 'Use at most 100 characters.' }),
    expiresAt: z.iso.datetime({ offset: true, error: 'Use an ISO 8601 date and time, e.g. 2030-01-31T23:59:59Z.' }).nullish(),
  })
  .openapi('CreateApiKey');

export const CreatedKey = z.object({
  key: ApiKey,
  secret: z.string().regex(/^pak-[0-9a-f]{32}$/).openapi({ description: 'Shown once; only a hash is stored.' }),
});

export const WhoAmI = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  organization: z.object({ id: z.string(), name: z.string() }),
  key: z.object({ id: z.string(), name: z.string() }),
});

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: `Error ${s}`, content: { 'application/json': { schema: ErrorResponse } } }]));

const Base64Url = z.string().max(16_384).regex(/^[\w-]*$/, { error: 'Use base64url.' });
const ClientExtensionResults = z.record(z.string(), z.unknown()).default({});

/** A WebAuthn creation answer as @simplewebauthn/browser sends it; checked in depth by the server library. */
export const RegistrationResponse = z
  .looseObject({
    id: Base64Url.min(1),
    rawId: Base64Url.min(1),
    type: z.literal('public-key'),
    response: z.looseObject({ clientDataJSON: Base64Url.min(1), attestationObject: Base64Url.min(1), transports: z.array(z.string().max(32)).max(10).optional() }),
    clientExtensionResults: ClientExtensionResults,
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  })
  .openapi('PasskeyRegistrationResponse');

/** A WebAuthn assertion as @simplewebauthn/browser sends it. */
export const AuthenticationResponse = z
  .looseObject({
    id: Base64Url.min(1),
    rawId: Base64Url.min(1),
    type: z.literal('public-key'),
    response: z.looseObject({ clientDataJSON: Base64Url.min(1), authenticatorData: Base64Url.min(1), signature: Base64Url.min(1), userHandle: Base64Url.optional() }),
    clientExtensionResults: ClientExtensionResults,
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  })
  .openapi('PasskeyAuthenticationResponse');

export const PasskeyOptions = z
  .object({ options: z.looseObject({ challenge: z.string() }).openapi({ description: 'PublicKeyCredential options JSON for @simplewebauthn/browser.' }) })
  .openapi('PasskeyOptions');

export const PasskeySignUpOptionsBody = z.object({ email: Email, organization: OrganizationId.optional() }).openapi('PasskeySignUpOptions');

export const PasskeySignUpVerifyBody = z
  .object({
    email: Email,
    response: RegistrationResponse,
    redirect: z.url({ protocol: /^https?$/, error: 'Use an absolute http(s) URL.' }).max(2048).optional(),
    locale: Locale.optional(),
  })
  .openapi('PasskeySignUp');

export const PasskeySignInOptionsBody = z.object({ organization: OrganizationId.optional() }).openapi('PasskeySignInOptions');

export const PasskeySignInBody = z.object({ response: AuthenticationResponse }).openapi('PasskeySignIn');

export const AddPasskeyBody = z.object({ response: RegistrationResponse }).openapi('AddPasskey');

export const Passkey = z
  .object({
    id: z.string(),
    name: z.string().openapi({ example: 'Chrome on macOS' }),
    credentialId: z.string().openapi({ description: 'The WebAuthn credential id (base64url), e.g. for `PublicKeyCredential.signalUnknownCredential`.' }),
    deviceType: z.enum(['singleDevice', 'multiDevice']),
    backedUp: z.boolean(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .openapi('Passkey');

export const PasskeyList = z.object({ passkeys: z.array(Passkey), rpId: z.string().openapi({ example: 'example.com' }) });
