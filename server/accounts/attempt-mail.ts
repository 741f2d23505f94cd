import { codeHash, randomCode } from '../auth/codes.js';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import { existingAccountMail, verificationMail } from '../mail/templates.js';
import type { AttemptRecord } from '../store/types.js';
import type { AccountDeps } from './deps.js';

const HOUR = 3_600_000;
/** Mail to one address per hour, whoever asks: beyond it sign-ups still answer 202 but send nothing. */
export const MAIL_PER_ADDRESS_PER_HOUR = 5;

/**
 * Queues the mail an attempt stands for: for a new account a fresh link and code (replacing
 * any earlier ones, so only the newest mail works), for an existing one the "you already have
 * an account" mail. Returns false when the address's mail budget held it back.
 */
export async function mailAttempt(deps: AccountDeps, attempt: AttemptRecord): Promise<boolean> {
  const { store, clock, config } = deps;
  const now = clock.now();
  if ((await store.countMailTo(attempt.email, now - HOUR)) >= MAIL_PER_ADDRESS_PER_HOUR) return false;
  const organization = config.organizations.get(attempt.organizationId)?.name ?? attempt.organizationId;

  if (attempt.purpose === 'existing') {
    await deps.mail.enqueue(await existingAccountMail(attempt.email, attempt.locale, organization, config.appUrl, `${config.publicUrl}/reset-password`));
    return true;
  }
  const token = randomToken();
  const code = randomCode();
  const link = `${config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
  const lifetime = { expiresAt: attempt.expiresAt, createdAt: now };
  await store.transaction(async (tx) => {
    await tx.deleteVerifications(attempt.id, ['verify_link', 'verify_code']);
    await tx.createVerification({ kind: 'verify_link', secretHash: sha256Hex(token), subject: attempt.id, ...lifetime });
    await tx.createVerification({ kind: 'verify_code', secretHash: codeHash(attempt.id, code), subject: attempt.id, ...lifetime });
  });
  await deps.mail.enqueue(await verificationMail(attempt.email, attempt.locale, organization, link, code));
  return true;
}
