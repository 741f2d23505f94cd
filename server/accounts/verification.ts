import { randomUUID } from 'node:crypto';
import { CODE_PATTERN, codeHash } from '../auth/codes.js';
import { sha256Hex } from '../auth/tokens.js';
import type { AttemptRecord, Store, UserRecord } from '../store/types.js';
import { mailAttempt } from './attempt-mail.js';
import type { AccountDeps } from './deps.js';
import { AccountError } from './errors.js';
import { allowedRedirect } from './organizations.js';
import { ATTEMPT_TTL_MS } from './signup.js';

export const MAX_CODE_FAILURES = 5;

export interface Verified {
  user: UserRecord;
  /** Where the sign-up asked to land, if still allowed. */
  redirect: string | null;
}

/**
 * Completes an attempt: the account is created with the attempt's credential (its password or
 * its passkey), and every other
 * open attempt for the email ends (a stranger's included). Runs inside the caller's transaction.
 */
async function complete(tx: Store, attempt: AttemptRecord, now: number): Promise<UserRecord> {
  // A passkey registered meanwhile elsewhere (a forged response racing its owner) is not moved.
  const passkeyTaken = attempt.passkey ? (await tx.findPasskeyByCredentialId(attempt.passkey.credentialId)) !== undefined : false;
  if (attempt.purpose !== 'new' || passkeyTaken || (await tx.findUserByEmail(attempt.email))) {
    await tx.setAttemptStatus(attempt.id, 'closed');
    throw new AccountError('attempt_closed');
  }
  const user: UserRecord = {
    id: randomUUID(),
    email: attempt.email,
    organizationId: attempt.organizationId,
    passwordHash: attempt.passwordHash,
    emailVerifiedAt: now,
    createdAt: now,
  };
  await tx.createUser(user);
  if (attempt.passkey) await tx.createPasskey({ ...attempt.passkey, id: randomUUID(), userId: user.id, lastUsedAt: null });
  await tx.setAttemptStatus(attempt.id, 'completed');
  await tx.closeOpenAttempts(attempt.email, attempt.id);
  await tx.deleteVerifications(attempt.id, ['verify_link', 'verify_code']);
  return user;
}

const isOpen = (attempt: AttemptRecord | undefined, now: number): attempt is AttemptRecord =>
  attempt !== undefined && attempt.status === 'open' && attempt.expiresAt > now;

async function countFailure(deps: AccountDeps, address: string): Promise<void> {
  await deps.limits.verifyFailuresPerAddress.hit(address);
}

async function assertNotThrottled(deps: AccountDeps, address: string): Promise<void> {
  const limit = await deps.limits.verifyFailuresPerAddress.check(address);
  if (!limit.allowed) throw new AccountError('rate_limited', { retryAfterS: limit.retryAfterS });
}

const verified = (deps: AccountDeps, attempt: AttemptRecord, user: UserRecord): Verified => ({
  user,
  redirect: allowedRedirect(deps.config.organizations.get(attempt.organizationId), attempt.redirect),
});

/**
 * The mailed link, completed only in the browser that started its attempt. From any other
 * browser it changes nothing: the owner of the mailbox proves the mailbox, but only the
 * browser that chose the password may receive the account.
 */
export async function verifyByLink(deps: AccountDeps, input: { token: string; binding: string | undefined; address: string }): Promise<Verified> {
  await assertNotThrottled(deps, input.address);
  const secretHash = sha256Hex(input.token);
  const now = deps.clock.now();
  const link = await deps.store.findVerification('verify_link', secretHash);
  if (!link) {
    await countFailure(deps, input.address);
    throw new AccountError('invalid_token');
  }
  if (link.expiresAt <= now) throw new AccountError('token_expired');
  const attempt = await deps.store.findAttempt(link.subject);
  if (!attempt || attempt.status !== 'open') throw new AccountError('invalid_token');
  if (attempt.expiresAt <= now) throw new AccountError('token_expired');
  if (!input.binding || sha256Hex(input.binding) !== attempt.bindingHash) throw new AccountError('other_browser');

  const user = await deps.store.transaction(async (tx) => {
    const used = await tx.consumeVerification('verify_link', secretHash, now);
    if (used.status !== 'consumed') throw new AccountError(used.status === 'expired' ? 'token_expired' : 'invalid_token');
    return complete(tx, attempt, now);
  });
  return verified(deps, attempt, user);
}

/** The code from the mail, sent with its attempt's id (embeds whose browser drops third-party cookies). */
export async function verifyByCode(deps: AccountDeps, input: { attempt: string; code: string; address: string }): Promise<Verified> {
  await assertNotThrottled(deps, input.address);
  const now = deps.clock.now();
  const attempt = await deps.store.findAttempt(input.attempt);
  if (!isOpen(attempt, now)) {
    await countFailure(deps, input.address);
    throw new AccountError('attempt_closed');
  }
  const secretHash = codeHash(attempt.id, input.code);
  const result = await deps.store.transaction(async (tx) => {
    const used = CODE_PATTERN.test(input.code) ? await tx.consumeVerification('verify_code', secretHash, now) : ({ status: 'invalid' } as const);
    if (used.status !== 'consumed') {
      const failures = await tx.recordCodeFailure(attempt.id, MAX_CODE_FAILURES);
      const failed: 'attempt_closed' | 'invalid_code' = failures >= MAX_CODE_FAILURES ? 'attempt_closed' : 'invalid_code';
      return { failed, user: undefined };
    }
    return { failed: undefined, user: await complete(tx, attempt, now) };
  });
  if (result.failed) {
    await countFailure(deps, input.address);
    if (result.failed === 'attempt_closed') await deps.store.deleteVerifications(attempt.id, ['verify_link', 'verify_code']);
    throw new AccountError(result.failed);
  }
  return verified(deps, attempt, result.user);
}

/** What a link would do in this browser, for the page it opens; reads only. */
export async function inspectLink(
  deps: AccountDeps,
  token: string,
  binding?: string,
): Promise<{ status: 'ready' | 'expired' | 'invalid' | 'other_browser'; attempt?: AttemptRecord }> {
  const now = deps.clock.now();
  const link = await deps.store.findVerification('verify_link', sha256Hex(token));
  const attempt = link && (await deps.store.findAttempt(link.subject));
  if (!link || !attempt || attempt.status !== 'open') return { status: 'invalid', attempt };
  if (link.expiresAt <= now || attempt.expiresAt <= now) return { status: 'expired', attempt };
  return { status: binding && sha256Hex(binding) === attempt.bindingHash ? 'ready' : 'other_browser', attempt };
}

/**
 * Sends the mail of the requester's own attempt again, named by its id, its cookie, or a link
 * it mailed (the page of an expired link); never another's. An expired but open attempt gets
 * another day. Answers the same whatever was found.
 */
export async function resend(
  deps: AccountDeps,
  input: { attempt?: string; token?: string; binding?: string; address: string },
): Promise<{ mailHeld: boolean }> {
  const limit = await deps.limits.resendPerAddress.hit(input.address);
  if (!limit.allowed) throw new AccountError('rate_limited', { retryAfterS: limit.retryAfterS });
  const { store, clock } = deps;
  const now = clock.now();
  let attempt: AttemptRecord | undefined;
  if (input.attempt) attempt = await store.findAttempt(input.attempt);
  else if (input.token) attempt = (await inspectLink(deps, input.token)).attempt;
  else if (input.binding) attempt = await store.newestOpenAttemptForBinding(sha256Hex(input.binding));
  if (!attempt || attempt.status !== 'open') return { mailHeld: false };
  if (attempt.expiresAt <= now) {
    attempt = { ...attempt, expiresAt: now + ATTEMPT_TTL_MS };
    await store.extendAttempt(attempt.id, attempt.expiresAt);
  }
  return { mailHeld: !(await mailAttempt(deps, attempt)) };
}
