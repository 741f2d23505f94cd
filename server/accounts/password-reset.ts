import { hashPassword } from '../auth/passwords.js';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import { passwordResetMail } from '../mail/templates.js';
import type { Locale, UserRecord } from '../store/types.js';
import { MAIL_PER_ADDRESS_PER_HOUR } from './attempt-mail.js';
import type { AccountDeps } from './deps.js';
import { AccountError } from './errors.js';

export const RESET_TTL_MS = 3_600_000;

/**
 * Mails a reset link when the email has a verified account; answers the same either way. The
 * link replaces any earlier one, and the address's mail budget applies as for sign-ups.
 */
export async function requestPasswordReset(deps: AccountDeps, input: { email: string; locale: Locale; address: string }): Promise<void> {
  const { store, clock, config } = deps;
  const limit = await deps.limits.passwordResetPerAddress.hit(input.address);
  if (!limit.allowed) throw new AccountError('rate_limited', { retryAfterS: limit.retryAfterS });
  const now = clock.now();
  const user = await store.findUserByEmail(input.email);
  const token = randomToken();
  if (!user || user.emailVerifiedAt === null) return;
  if ((await store.countMailTo(user.email, now - 3_600_000)) >= MAIL_PER_ADDRESS_PER_HOUR) return;
  await store.transaction(async (tx) => {
    await tx.deleteVerifications(user.id, ['password_reset']);
    await tx.createVerification({ kind: 'password_reset', secretHash: sha256Hex(token), subject: user.id, expiresAt: now + RESET_TTL_MS, createdAt: now });
  });
  const organization = config.organizations.get(user.organizationId)?.name ?? user.organizationId;
  await deps.mail.enqueue(await passwordResetMail(user.email, input.locale, organization, `${config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`));
}

/** Whether a reset link still works, for the page it opens; reads only. */
export async function inspectResetToken(deps: AccountDeps, token: string): Promise<'ready' | 'invalid'> {
  const found = await deps.store.findVerification('password_reset', sha256Hex(token));
  return found && found.expiresAt > deps.clock.now() ? 'ready' : 'invalid';
}

/**
 * Sets the new password; the link works once. Every session of the account ends (the route then
 * signs this browser in), so whoever knew the old password is out.
 */
export async function confirmPasswordReset(deps: AccountDeps, input: { token: string; password: string }): Promise<UserRecord> {
  const { store, clock } = deps;
  const secretHash = sha256Hex(input.token);
  const found = await store.findVerification('password_reset', secretHash);
  if (!found) throw new AccountError('invalid_token');
  if (found.expiresAt <= clock.now()) throw new AccountError('token_expired');
  const passwordHash = await hashPassword(input.password);
  return store.transaction(async (tx) => {
    const used = await tx.consumeVerification('password_reset', secretHash, clock.now());
    if (used.status !== 'consumed') throw new AccountError(used.status === 'expired' ? 'token_expired' : 'invalid_token');
    const user = await tx.findUserById(used.verification.subject);
    if (!user) throw new AccountError('invalid_token');
    await tx.setPassword(user.id, passwordHash);
    await tx.deleteUserSessions(user.id);
    return { ...user, passwordHash };
  });
}
