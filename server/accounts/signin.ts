import { decoyPasswordHash, verifyPassword } from '../auth/passwords.js';
import { EVERYONE } from '../auth/rate-limit.js';
import type { UserRecord } from '../store/types.js';
import type { AccountDeps } from './deps.js';
import { AccountError } from './errors.js';
import { assertOriginAllowed, findOrganization } from './organizations.js';


export interface SignInInput {
  email: string;
  password: string;
  origin?: string;
  organization?: string;
  address: string;
}

/**
 * The verified account's right password always wins. Otherwise the password of the newest open
 * sign-up attempt answers `email_not_verified` (with that attempt's id, to finish it by code)
 * whether or not the email also has an account, so the answer tells nothing the caller did not
 * choose. Failures are limited per address and per email, but a client that has not failed
 * for this email still gets its try: others' failures never lock the owner out.
 */
export async function signIn(deps: AccountDeps, input: SignInInput): Promise<UserRecord> {
  const { store, limits, clock } = deps;
  if (input.organization !== undefined || input.origin !== undefined) {
    const organization = input.organization !== undefined ? findOrganization(deps.config, input.organization) : undefined;
    if (organization) assertOriginAllowed(organization, input.origin);
  }
  const client = `${input.email}|${input.address}`;
  await refuseIfThrottled(deps, input.email, client, input.address);

  const user = await store.findUserByEmail(input.email);
  const accountHash = user?.emailVerifiedAt != null ? user.passwordHash : null;
  // Unknown emails are checked against a decoy hash: same time as a wrong password.
  const accountMatches = await verifyPassword(accountHash ?? (await decoyPasswordHash), input.password);
  if (user && accountHash && accountMatches) {
    // Only after the right password, so the refusal tells nothing about who has an account.
    const organization = deps.config.organizations.get(user.organizationId);
    if (!organization) throw new AccountError('unknown_organization');
    assertOriginAllowed(organization, input.origin);
    return user;
  }

  // Exactly one more hash whatever exists (the newest open attempt's, or the decoy), so the time
  // tells nothing about pending sign-ups either.
  const [attempt] = await store.openAttempts(input.email, clock.now(), 1);
  const attemptMatches = await verifyPassword(attempt?.passwordHash ?? (await decoyPasswordHash), input.password);
  if (attempt?.passwordHash && attemptMatches) throw new AccountError('email_not_verified', { attempt: attempt.id });

  await Promise.all([
    limits.signInFailuresPerAddress.hit(input.address),
    limits.signInFailuresPerEmail.hit(input.email),
    limits.signInFailuresPerClientEmail.hit(client),
    limits.signInFailedBefore.hit(client),
  ]);
  throw new AccountError('invalid_credentials');
}

async function refuseIfThrottled(deps: AccountDeps, email: string, client: string, address: string): Promise<void> {
  const { limits } = deps;
  const [perAddress, perClient, perEmail, failedBefore] = await Promise.all([
    limits.signInFailuresPerAddress.check(address),
    limits.signInFailuresPerClientEmail.check(client),
    limits.signInFailuresPerEmail.check(email),
    limits.signInFailedBefore.check(client),
  ]);
  const global = await limits.signInGlobal.hit(EVERYONE);
  const refusal = [perAddress, perClient, global].find((d) => !d.allowed) ?? (!perEmail.allowed && !failedBefore.allowed ? perEmail : undefined);
  if (refusal) throw new AccountError('rate_limited', { retryAfterS: refusal.retryAfterS });
}
