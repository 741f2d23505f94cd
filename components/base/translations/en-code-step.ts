/** English strings of the auth cards' code step ("Verification code", "Resend email"; code-step.ts), loaded with it. */
export const codeStepEn = {
  'signup.resend': 'Resend email',
  'auth.resendCooldown': 'Resend email ({seconds} s)',
  'auth.resent': 'We sent a new verification email to {email}.',
  'auth.verify': 'Verify',
  'auth.verifying': 'Verifying…',
  'validation.codeRequired': 'Enter the 6-digit code from the email.',
  'validation.codeInvalid': 'The code is 6 digits, like 123456.',
  'field.code': 'Verification code',
} as const;
