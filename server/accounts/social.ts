import { randomUUID } from 'node:crypto';
import type { FlowChecks, OAuthClients, ProviderProfile } from '../auth/oauth-client.js';
import { OAuthFailure, randomCheckValue, randomCodeVerifier } from '../auth/oauth-client.js';
import { OAUTH_STATE_TTL_S } from '../auth/oauth-cookie.js';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import { enabledSocialProviders, type SocialProvider } from '../config.js';
import type { Locale, Store, UserRecord } from '../store/types.js';
import type { AccountDeps } from './deps.js';
import { AccountError } from './errors.js';
import { allowedRedirect, findOrganization } from './organizations.js';
import { openAttempt } from './signup.js';

export interface SocialDeps extends AccountDeps {
  oauth: OAuthClients;
}

/** What a state was issued for, kept with it in the verifications table. */
interface StatePayload extends FlowChecks {
  provider: string;
  organizationId: string;
  returnTo: string;
  /** Set when a signed-in user started the flow to link the provider to their account. */
  linkUserId?: string;
}

/** A `perso_oauth` cookie we could have issued: anything else is replaced, not trusted. */
const BINDING_PATTERN = /^[\w-]{43}$/;

/**
 * The state is stored under the hash of this browser's binding and the state itself, so a
 * state sent back through another browser (a forwarded or planted callback) matches nothing.
 */
const stateHash = (binding: string, state: string) => sha256Hex(`${binding}.${state}`);

function enabledProvider(deps: SocialDeps, organizationId: string, id: string): SocialProvider {
  const organization = findOrganization(deps.config, organizationId);
  const provider = enabledSocialProviders(deps.config, organization).find((p) => p.id === id);
  if (!provider) throw new AccountError('method_disabled');
  return provider;
}

/**
 * Where errors of a flow whose state is unknown go: never to a URL taken from the request
 * (that would be an open redirect), but to the operator's configured landing page.
 */
export const fallbackReturnTo = (deps: AccountDeps) => deps.config.appUrl;

/** The allowed `return_to`, or `origin_not_allowed`; no `return_to` means the app's landing page. */
export function checkReturnTo(deps: AccountDeps, organizationId: string | undefined, returnTo: string | undefined): string {
  const organization = findOrganization(deps.config, organizationId);
  if (returnTo === undefined) return deps.config.appUrl;
  const allowed = allowedRedirect(organization, returnTo);
  if (!allowed) throw new AccountError('origin_not_allowed');
  return allowed;
}

/**
 * Starts the provider round trip: a state, a PKCE verifier and (for OpenID) a nonce, single
 * use for 10 minutes, bound to this browser. Returns the provider's URL.
 */
export async function startSocialSignIn(
  deps: SocialDeps,
  input: { provider: string; organization?: string; returnTo: string; binding?: string; signedInUserId?: string; address: string },
): Promise<{ url: URL; binding: string }> {
  const organization = findOrganization(deps.config, input.organization);
  const provider = enabledProvider(deps, organization.id, input.provider);
  const limit = await deps.limits.socialStartsPerAddress.hit(input.address);
  if (!limit.allowed) throw new AccountError('rate_limited', { retryAfterS: limit.retryAfterS });

  const binding = input.binding && BINDING_PATTERN.test(input.binding) ? input.binding : randomToken();
  const checks: FlowChecks = { state: randomCheckValue(), codeVerifier: randomCodeVerifier(), ...(provider.endpoints.kind === 'oidc' ? { nonce: randomCheckValue() } : {}) };
  let url: URL;
  try {
    url = await deps.oauth.authorizationUrl(provider, checks);
  } catch (error) {
    throw toAccountError(error);
  }
  const payload: StatePayload = {
    ...checks,
    provider: provider.id,
    organizationId: organization.id,
    returnTo: input.returnTo,
    ...(input.signedInUserId ? { linkUserId: input.signedInUserId } : {}),
  };
  const now = deps.clock.now();
  await deps.store.createVerification({
    kind: 'oauth_state',
    secretHash: stateHash(binding, checks.state),
    subject: provider.id,
    payload: JSON.stringify(payload),
    createdAt: now,
    expiresAt: now + OAUTH_STATE_TTL_S * 1000,
  });
  return { url, binding };
}

/** Uses up the state a callback carries, once, in the browser it was issued to. */
export async function consumeState(deps: AccountDeps, input: { provider: string; state?: string; binding?: string }): Promise<StatePayload> {
  if (!input.state || !input.binding) throw new AccountError('oauth_invalid_state');
  const used = await deps.store.consumeVerification('oauth_state', stateHash(input.binding, input.state), deps.clock.now());
  if (used.status !== 'consumed' || used.verification.subject !== input.provider) throw new AccountError('oauth_invalid_state');
  return JSON.parse(used.verification.payload ?? '{}') as StatePayload;
}

export type SocialOutcome =
  | { kind: 'signed_in'; user: UserRecord; returnTo: string }
  /** The provider did not vouch for the email: the usual verification, in this browser. */
  | { kind: 'verification_sent'; attempt: string; binding: string; returnTo: string };

/** The provider's `error` answer (consent denied, provider trouble) in the user's terms. */
export function providerError(error: string): AccountError {
  if (error === 'access_denied') return new AccountError('oauth_cancelled');
  if (error === 'temporarily_unavailable' || error === 'server_error') return new AccountError('oauth_unavailable');
  return new AccountError('oauth_rejected');
}

function toAccountError(error: unknown): AccountError {
  if (error instanceof OAuthFailure) return new AccountError(error.reason === 'unavailable' ? 'oauth_unavailable' : 'oauth_rejected');
  throw error;
}

/**
 * Finishes the round trip whose state was consumed: exchanges the code (PKCE, and the ID token
 * with its nonce for OpenID), then applies the account rules.
 */
export async function finishSocialSignIn(
  deps: SocialDeps,
  input: { flow: StatePayload; callbackUrl: URL; locale: Locale; signupBinding?: string },
): Promise<SocialOutcome> {
  const { flow } = input;
  const provider = enabledProvider(deps, flow.organizationId, flow.provider);
  let profile: ProviderProfile;
  try {
    profile = await deps.oauth.finish(provider, input.callbackUrl, flow);
  } catch (error) {
    throw toAccountError(error);
  }
  return applyAccountRules(deps, { flow, profile, locale: input.locale, signupBinding: input.signupBinding });
}

/**
 * The account rules for a provider's identity, matched by (provider, subject), never by email:
 * - a known identity signs its user in; a signed-in user linking adds it to their account;
 * - an email the provider verified joins the verified account that has it, or creates one;
 * - an unverified email gets the usual verification (an attempt holding the identity, mailed
 *   link and code, this browser), so an account or attempt with that email is never taken over.
 */
async function applyAccountRules(
  deps: SocialDeps,
  input: { flow: StatePayload; profile: ProviderProfile; locale: Locale; signupBinding?: string },
): Promise<SocialOutcome> {
  const { flow, profile } = input;
  const now = deps.clock.now();
  const identity = { provider: profile.provider, subject: profile.subject, email: profile.email, createdAt: now };
  const email = profile.email?.toLowerCase() ?? null;

  const signedIn = await deps.store.transaction(async (tx): Promise<UserRecord | undefined> => {
    const known = await tx.findIdentity(profile.provider, profile.subject);
    if (known) {
      if (flow.linkUserId && known.userId !== flow.linkUserId) throw new AccountError('identity_in_use');
      return sameTenant(deps, await tx.findUserById(known.userId), flow);
    }
    if (flow.linkUserId) {
      const user = await tx.findUserById(flow.linkUserId);
      if (!user) throw new AccountError('oauth_invalid_state');
      await tx.createIdentity({ ...identity, userId: user.id });
      return user;
    }
    if (!email) throw new AccountError('oauth_email_missing');
    if (!profile.emailVerified) return undefined;
    return joinOrCreate(tx, { email, organizationId: flow.organizationId, identity, now, check: (user) => sameTenant(deps, user, flow) });
  });
  if (signedIn) return { kind: 'signed_in', user: signedIn, returnTo: flow.returnTo };

  const opened = await openAttempt(
    deps,
    flow.organizationId,
    { identity: { provider: profile.provider, subject: profile.subject, email, createdAt: now } },
    { email: email!, redirect: flow.returnTo, locale: input.locale, binding: input.signupBinding },
  );
  return { kind: 'verification_sent', attempt: opened.attempt, binding: opened.binding, returnTo: flow.returnTo };
}

/**
 * Tenant isolation, as for a password sign-in: an account is signed in (or joined) only through
 * a page its own organization allows, never through another organization's flow.
 */
function sameTenant(deps: AccountDeps, user: UserRecord | undefined, flow: StatePayload): UserRecord {
  if (!user) throw new AccountError('oauth_invalid_state');
  if (!allowedRedirect(deps.config.organizations.get(user.organizationId), flow.returnTo)) throw new AccountError('origin_not_allowed');
  return user;
}

/** A provider-verified email: the verified account that has it gains the identity, or a new account is made. */
async function joinOrCreate(
  tx: Store,
  input: {
    email: string;
    organizationId: string;
    identity: { provider: string; subject: string; email: string | null; createdAt: number };
    now: number;
    check: (user: UserRecord) => UserRecord;
  },
): Promise<UserRecord> {
  const existing = await tx.findUserByEmail(input.email);
  if (existing) {
    input.check(existing);
    await tx.createIdentity({ ...input.identity, userId: existing.id });
    return existing;
  }
  const user: UserRecord = { id: randomUUID(), email: input.email, organizationId: input.organizationId, passwordHash: null, emailVerifiedAt: input.now, createdAt: input.now };
  await tx.createUser(user);
  await tx.createIdentity({ ...input.identity, userId: user.id });
  // Open password sign-ups for this email end unverified: their passwords never join this account.
  await tx.closeOpenAttempts(input.email);
  return user;
}
