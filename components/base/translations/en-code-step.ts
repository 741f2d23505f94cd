/**
 * English strings of the auth cards' code step ("Verification code", "Resend email"; code-step.ts)
 * and of the lines the cards show with it, loaded with it.
 */
export const codeStepEn = {
  'signup.sentTo': 'We sent a link and a 6-digit code to {email}. Open the link in this browser, or enter the code here.',
  'auth.mailHeld': 'We already sent several emails to this address. Check your inbox, or try again later.',
  'signin.verifyLead': 'Enter the 6-digit code from the email we sent to {email}, or open its link in this browser.',
  'social.verifyEmail': 'We sent you an email to confirm your address. Open its link in this browser, or sign in again once it is verified.',
  'signup.resend': 'Resend email',
  'auth.resendCooldown': 'Resend email ({seconds} s)',
  'auth.resent': 'We sent a new verification email to {email}.',
  'auth.verify': 'Verify',
  'auth.verifying': 'Verifying…',
  'validation.codeRequired': 'Enter the 6-digit code from the email.',
  'validation.codeInvalid': 'The code is 6 digits, like 123456.',
  'field.code': 'Verification code',
} as const;
