/** The account rules: plain inputs and injected dependencies in, results or `AccountError`s out. */
export type { AccountDeps } from './deps.js';
export { AccountError, type AccountErrorCode } from './errors.js';
export { allowedRedirect, assertOriginAllowed, findOrganization } from './organizations.js';
export { startSignUp, type SignUpInput, type SignUpResult } from './signup.js';
export { inspectLink, resend, verifyByCode, verifyByLink, type Verified } from './verification.js';
export { signIn, type SignInInput } from './signin.js';
export { confirmPasswordReset, inspectResetToken, requestPasswordReset } from './password-reset.js';
export { passkeySignIn, passkeySignInOptions, passkeySignUpOptions, passkeySignUpVerify } from './passkeys.js';
export { addPasskey, addPasskeyOptions, removePasskey } from './passkey-management.js';
