import type { keyListEn } from './en-key-list.js';
import type { codeStepEn } from './en-code-step.js';
import type { errorsEn } from './en-errors.js';
import type { passkeyListEn } from './en-passkey-list.js';
import type { resetEn } from './en-reset.js';

/**
 * English strings. Visible labels here are part of the public contract (tests and users find
 * controls by them). Error codes from the server double as keys under `error.`.
 */
export const en = {
  'signup.heading': 'Create your account',
  'signup.submit': 'Create account',
  'signup.passkey': 'Sign up with a passkey',
  'signup.checkInbox': 'Check your email inbox for a verification message',
  'signin.heading': 'Sign in',
  'signin.submit': 'Sign in',
  'signin.passkey': 'Sign in with a passkey',
  'signup.busy': 'Creating account…',
  'signup.changeEmail': 'Use a different email',
  'signup.passwordHint': 'Use 8 to 256 characters.',
  'signin.busy': 'Signing in…',
  'auth.subtitle': 'to continue to {organization}',
  'auth.loading': 'Loading…',
  'auth.configError': 'This form could not be loaded.',
  'auth.retry': 'Try again',
  'auth.or': 'or',
  'auth.noMethods': 'No sign-in method is enabled for this organization.',
  'auth.signedInAs': 'Signed in as {email}',
  'auth.signOut': 'Sign out',
  'auth.sessionEnded': 'Your session ended — sign in again',
  'auth.signingOut': 'Signing out…',
  'auth.showPassword': 'Show password',
  'signin.verifyHeading': 'Verify your email address',
  'signin.backToSignIn': 'Back to sign in',
  'signin.forgot': 'Forgot password?',
  'reset.heading': 'Reset your password',
  'reset.sentHeading': 'Check your email inbox',
  'validation.emailRequired': 'Enter your email address.',
  'validation.emailInvalid': 'Enter a valid email address, like name@example.com.',
  'validation.passwordRequired': 'Enter your password.',
  'validation.passwordTooShort': 'Use at least 8 characters.',
  'validation.passwordTooLong': 'Use at most 256 characters.',
  'field.email': 'Email',
  'field.password': 'Password',
  'social.mark': '{provider} logo',
  'social.linkLead': 'Add another way to sign in',
  'social.continue': 'Continue with {provider}',
  'keys.signedOut': 'Sign in to manage your API keys',
  'keys.loading': 'Loading your API keys…',
  'keys.retry': 'Retry',
  'keys.sessionEnded': 'Your session ended — sign in again. Your key name is kept.',
  'passkeys.signedOut': 'Sign in to manage your passkeys',
  'passkeys.loading': 'Loading your passkeys…',
  'passkeys.retry': 'Retry',
  // Client-side: no answer at all (the error chunk may not load either). The server's codes are
  // in en-errors.ts, loaded with the first failure (a test fails when one is missing).
  'error.network_error': 'Could not reach the server. Check your connection and try again.',
  'error.unexpected_response': 'The server answered in a way the page did not expect. Try again in a moment.',
  'error.unexpected': 'Something went wrong. Try again in a moment.',
} as const;

/**
 * Every key: the core strings above and those of the screens that load in chunks of their own
 * (each chunk brings its English strings, `addEnglish()`).
 */
export type MessageKey = keyof typeof en | keyof typeof errorsEn | keyof typeof codeStepEn | keyof typeof keyListEn | keyof typeof passkeyListEn | keyof typeof resetEn;
