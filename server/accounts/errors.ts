/**
 * What the account rules refuse, named by the contract's error codes. The domain throws these;
 * the app's error handler alone turns them into HTTP statuses.
 */
export type AccountErrorCode =
  | 'unknown_organization'
  | 'method_disabled'
  | 'origin_not_allowed'
  | 'invalid_token'
  | 'token_expired'
  | 'invalid_code'
  | 'attempt_closed'
  | 'other_browser'
  | 'invalid_credentials'
  | 'email_not_verified'
  | 'rate_limited'
  | 'invalid_challenge'
  | 'passkey_rejected'
  | 'passkey_unknown'
  | 'passkey_exists'
  | 'last_sign_in_method'
  | 'not_found';

export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    /** `attempt`: the open sign-up a password matched; `retryAfterS`: when a limit lifts. */
    readonly detail: { attempt?: string; retryAfterS?: number } = {},
  ) {
    super(code);
    this.name = 'AccountError';
  }
}
