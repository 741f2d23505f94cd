import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/passwords.js';
import { EVERYONE } from '../auth/rate-limit.js';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import type { AttemptRecord, Locale } from '../store/types.js';
import { mailAttempt } from './attempt-mail.js';
import type { AccountDeps } from './deps.js';
import { AccountError } from './errors.js';
import { allowedRedirect, assertOriginAllowed, findOrganization } from './organizations.js';

export const ATTEMPT_TTL_MS = 24 * 3_600_000;
/** A `perso_signup` cookie we could have issued: anything else is replaced, not trusted. */
const BINDING_PATTERN = /^[\w-]{43}$/;

export interface SignUpInput {
  email: string;
  password: string;
  organization?: string;
  redirect?: string;
  locale: Locale;
  origin?: string;
  /** The browser's `perso_signup` cookie, if it has one. */
  binding?: string;
  address: string;
}

export interface SignUpResult {
  attempt: string;
  /** The `perso_signup` value to (re)set: the browser's own when it had one. */
  binding: string;
  mailHeld: boolean;
}

/**
 * Starts a sign-up attempt holding this password, bound to this browser. The same work and
 * the same answer whether or not the email has an account: an existing owner is mailed
 * instead, and the attempt can never complete into their account.
 */
export async function startSignUp(deps: AccountDeps, input: SignUpInput): Promise<SignUpResult> {
  const organization = findOrganization(deps.config, input.organization);
  assertOriginAllowed(organization, input.origin);
  if (!organization.methods.password) throw new AccountError('method_disabled');
  if (input.redirect && !allowedRedirect(organization, input.redirect)) throw new AccountError('origin_not_allowed');
  for (const limit of [await deps.limits.signUpPerAddress.hit(input.address), await deps.limits.signUpGlobal.hit(EVERYONE)]) {
    if (!limit.allowed) throw new AccountError('rate_limited', { retryAfterS: limit.retryAfterS });
  }

  const passwordHash = await hashPassword(input.password);
  return openAttempt(deps, organization.id, { passwordHash }, input);
}

/**
 * Records an attempt holding a credential (a password hash, a pending passkey or a provider identity), bound to this
 * browser, and mails it: a verification mail for a new email, "you already have an account"
 * for an existing one, whose attempt can never complete.
 */
export async function openAttempt(
  deps: AccountDeps,
  organizationId: string,
  credential: Partial<Pick<AttemptRecord, 'passwordHash' | 'passkey' | 'identity'>>,
  input: Pick<SignUpInput, 'email' | 'redirect' | 'locale' | 'binding'>,
): Promise<SignUpResult> {
  const existing = await deps.store.findUserByEmail(input.email);
  const binding = input.binding && BINDING_PATTERN.test(input.binding) ? input.binding : randomToken();
  const now = deps.clock.now();
  const attempt: AttemptRecord = {
    id: randomBytes(16).toString('base64url'),
    email: input.email,
    organizationId,
    purpose: existing ? 'existing' : 'new',
    passwordHash: credential.passwordHash ?? null,
    passkey: credential.passkey ?? null,
    ...(credential.identity ? { identity: credential.identity } : {}),
    locale: input.locale,
    redirect: input.redirect ?? null,
    bindingHash: sha256Hex(binding),
    codeFailures: 0,
    status: 'open',
    createdAt: now,
    expiresAt: now + ATTEMPT_TTL_MS,
  };
  await deps.store.createAttempt(attempt);
  const mailed = await mailAttempt(deps, attempt);
  return { attempt: attempt.id, binding, mailHeld: !mailed };
}
