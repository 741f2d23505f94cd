import type { MessageKey } from '../base/translations/en.js';

/** Deliberately loose: the server has the last word; this only catches typos early. */
const EMAIL_SYNTAX = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string): MessageKey | undefined {
  if (!email) return 'validation.emailRequired';
  if (!EMAIL_SYNTAX.test(email)) return 'validation.emailInvalid';
  return undefined;
}

/** Rules for a new password (API.md §2: 8–256 characters). */
export function newPasswordProblem(password: string): MessageKey | undefined {
  if (!password) return 'validation.passwordRequired';
  if (password.length < 8) return 'validation.passwordTooShort';
  if (password.length > 256) return 'validation.passwordTooLong';
  return undefined;
}

/** An existing password is only checked for presence: old accounts may predate today's rules. */
export function currentPasswordProblem(password: string): MessageKey | undefined {
  return password ? undefined : 'validation.passwordRequired';
}
