import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { randomBytes } from 'node:crypto';
import { passkeyName } from '../auth/passkey-name.js';
import type { Organization } from '../config.js';
import type { Locale, PendingPasskey, UserRecord } from '../store/types.js';
import type { AccountDeps } from './deps.js';
import { AccountError } from './errors.js';
import { allowedRedirect, assertOriginAllowed, findOrganization } from './organizations.js';
import { openAttempt, type SignUpResult } from './signup.js';
import { consumeChallenge, relyingParty, storeChallenge, webauthnBinding } from './webauthn.js';

/** What a sign-up challenge was issued for. */
interface SignUpChallenge {
  email: string;
  organizationId: string;
  userHandle: string;
}

function passkeyOrganization(deps: AccountDeps, id: string | undefined, origin: string | undefined): Organization {
  const organization = findOrganization(deps.config, id);
  assertOriginAllowed(organization, origin);
  if (!organization.methods.passkey) throw new AccountError('method_disabled');
  return organization;
}

async function refuseIfThrottled(deps: AccountDeps, address: string): Promise<void> {
  const limit = await deps.limits.passkeyChallengesPerAddress.hit(address);
  if (!limit.allowed) throw new AccountError('rate_limited', { retryAfterS: limit.retryAfterS });
}

/**
 * Creation options for a new account's passkey. They are the same whether or not the email has
 * an account (no `excludeCredentials`), so the options tell nothing about who is registered.
 */
export async function passkeySignUpOptions(
  deps: AccountDeps,
  input: { email: string; organization?: string; origin?: string; binding?: string; address: string },
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; binding: string }> {
  const organization = passkeyOrganization(deps, input.organization, input.origin);
  await refuseIfThrottled(deps, input.address);
  const rp = relyingParty(deps.config, organization);
  const userHandle = randomBytes(16);
  const options = await generateRegistrationOptions({
    rpID: rp.rpID,
    rpName: rp.rpName,
    userName: input.email,
    userID: userHandle,
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  const binding = webauthnBinding(input.binding);
  const payload: SignUpChallenge = { email: input.email, organizationId: organization.id, userHandle: options.user.id };
  await storeChallenge(deps, { kind: 'webauthn_signup', binding, challenge: options.challenge, subject: organization.id, payload });
  return { options, binding };
}

/**
 * Checks the new passkey and opens a sign-up attempt holding it, exactly as a password
 * sign-up does: same 202 whether or not the email has an account, completed only by its link
 * in this browser or its code, and never added to an existing account.
 */
export async function passkeySignUpVerify(
  deps: AccountDeps,
  input: {
    email: string;
    response: RegistrationResponseJSON;
    redirect?: string;
    locale: Locale;
    origin?: string;
    /** `perso_webauthn`: the challenge's browser. */
    webauthnBinding?: string;
    /** `perso_signup`: the attempt's browser. */
    signupBinding?: string;
    userAgent?: string;
    address: string;
  },
): Promise<SignUpResult> {
  const { challenge: signed, verification } = await consumeChallenge(deps, 'webauthn_signup', input.webauthnBinding, input.response);
  const challenge = JSON.parse(verification.payload ?? '{}') as SignUpChallenge;
  if (challenge.email !== input.email) throw new AccountError('invalid_challenge');
  const organization = passkeyOrganization(deps, challenge.organizationId, input.origin);
  if (input.redirect && !allowedRedirect(organization, input.redirect)) throw new AccountError('origin_not_allowed');
  const limit = await deps.limits.signUpPerAddress.hit(input.address);
  if (!limit.allowed) throw new AccountError('rate_limited', { retryAfterS: limit.retryAfterS });

  const rp = relyingParty(deps.config, organization);
  const passkey = await checkRegistration(deps, { response: input.response, challenge: signed, rp, userHandle: challenge.userHandle, userAgent: input.userAgent });
  return openAttempt(deps, organization.id, { passkey }, { ...input, binding: input.signupBinding });
}

/**
 * Verifies a registration against the challenge it answered; the passkey to keep, or
 * `passkey_rejected`. A credential id already registered is refused: only its owner's
 * authenticator could have made it, so the response was forged or replayed.
 */
export async function checkRegistration(
  deps: AccountDeps,
  input: { response: RegistrationResponseJSON; challenge: string; rp: ReturnType<typeof relyingParty>; userHandle: string; userAgent?: string },
): Promise<PendingPasskey> {
  const { response, challenge, rp } = input;
  let result: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.expectedOrigin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
  } catch {
    throw new AccountError('passkey_rejected');
  }
  if (!result.verified) throw new AccountError('passkey_rejected');
  const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
  if (await deps.store.findPasskeyByCredentialId(credential.id)) throw new AccountError('passkey_exists');
  return {
    credentialId: credential.id,
    userHandle: input.userHandle,
    publicKey: credential.publicKey,
    counter: credential.counter,
    transports: credential.transports ?? response.response.transports ?? [],
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
    name: passkeyName(input.userAgent),
    createdAt: deps.clock.now(),
  };
}

/** Request options for a discoverable passkey: no email asked, no credential named. */
export async function passkeySignInOptions(
  deps: AccountDeps,
  input: { organization?: string; origin?: string; binding?: string; address: string },
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; binding: string }> {
  const organization = passkeyOrganization(deps, input.organization, input.origin);
  await refuseIfThrottled(deps, input.address);
  const options = await generateAuthenticationOptions({ rpID: deps.config.webauthn.rpId, userVerification: 'preferred' });
  const binding = webauthnBinding(input.binding);
  await storeChallenge(deps, { kind: 'webauthn_signin', binding, challenge: options.challenge, subject: organization.id });
  return { options, binding };
}

/**
 * Signs in with a passkey. The signature counter must grow when the authenticator counts (a
 * counter that goes back means a cloned authenticator); the passkey's account must be active
 * and the request come from its organization's origins.
 */
export async function passkeySignIn(
  deps: AccountDeps,
  input: { response: AuthenticationResponseJSON; origin?: string; binding?: string; address: string },
): Promise<UserRecord> {
  const { store, clock, limits } = deps;
  const throttled = await limits.signInFailuresPerAddress.check(input.address);
  if (!throttled.allowed) throw new AccountError('rate_limited', { retryAfterS: throttled.retryAfterS });
  const { challenge } = await consumeChallenge(deps, 'webauthn_signin', input.binding, input.response);
  const refuse = async (code: 'passkey_unknown' | 'passkey_rejected'): Promise<never> => {
    await limits.signInFailuresPerAddress.hit(input.address);
    throw new AccountError(code);
  };

  const passkey = await store.findPasskeyByCredentialId(input.response.id);
  const user = passkey && (await store.findUserById(passkey.userId));
  const organization = user && deps.config.organizations.get(user.organizationId);
  if (!passkey || !user?.emailVerifiedAt || !organization) return refuse('passkey_unknown');
  const userHandle = input.response.response.userHandle;
  if (userHandle !== undefined && userHandle !== passkey.userHandle) return refuse('passkey_rejected');
  assertOriginAllowed(organization, input.origin);

  const rp = relyingParty(deps.config, organization);
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.expectedOrigin,
      expectedRPID: rp.rpID,
      credential: { id: passkey.credentialId, publicKey: passkey.publicKey, counter: passkey.counter },
      requireUserVerification: false,
    });
    if (!result.verified) return refuse('passkey_rejected');
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return refuse('passkey_rejected');
  }
  await store.recordPasskeyUse(passkey.id, newCounter, clock.now());
  return user;
}
