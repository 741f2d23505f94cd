/** English strings of `<perso-signin>`'s password reset steps (reset-views.ts), loaded with them. */
export const resetEn = {
  'reset.lead': "Enter your account's email and we'll send you a link to choose a new password.",
  'reset.submit': 'Send reset link',
  'reset.busy': 'Sending…',
  'reset.sentLead': 'If an account uses {email}, we sent it a link to choose a new password. The link works for 1 hour.',
} as const;
