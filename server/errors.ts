import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error code the server answers with, and its default sentence. The codes are part of
 * the public contract and double as the elements' translation keys.
 */
export const errorMessages = {
  invalid_json: 'The request body is not valid JSON.',
  unsupported_media_type: 'Send the request body as JSON with Content-Type: application/json.',
  payload_too_large: 'The request body is larger than 64 KiB.',
  not_found: 'There is nothing at this address.',
  method_not_allowed: 'This method is not allowed here.',
  validation_failed: 'Some fields are not valid. Correct them and try again.',
  rate_limited: 'Too many attempts. Wait a moment and try again.',
  unknown_organization: 'There is no organization with this id.',
  invalid_token: 'This link is not valid or was already used. Request a new one.',
  token_expired: 'This link has expired. Request a new one.',
  invalid_code: 'This code is not right. Check the newest email and try again.',
  attempt_closed: 'This sign-up has ended. Sign up again to get a new code.',
  other_browser: 'Open the link in the browser where you signed up, or enter the code from the email there.',
  invalid_credentials: 'The email or password is incorrect.',
  email_not_verified: 'Verify your email address before signing in: enter the code from the email, or we can send it again.',
  unauthenticated: 'Sign in to continue.',
  method_disabled: 'This sign-up method is turned off for this organization.',
  origin_not_allowed: 'Requests from this origin are not allowed.',
  invalid_challenge: 'This passkey request has expired or was already used. Try again.',
  passkey_rejected: 'This passkey could not be verified. Try again, or use another way to sign in.',
  passkey_unknown: 'This passkey is not registered here. Use another passkey or another way to sign in.',
  passkey_exists: 'This passkey is registered already.',
  last_sign_in_method: 'This is your only way to sign in. Add another passkey or set a password before removing it.',
  oauth_cancelled: 'Sign-in with the provider was cancelled. Try again, or use another way to sign in.',
  oauth_unavailable: 'The sign-in provider did not answer in time. Try again in a moment, or use another way to sign in.',
  oauth_invalid_state: 'This sign-in expired or was started in another browser. Start it again from this page.',
  oauth_rejected: 'The sign-in provider’s answer could not be verified. Start again, or use another way to sign in.',
  oauth_email_missing: 'The provider did not share an email address. Allow access to your email there, or sign up with email.',
  identity_in_use: 'This provider account is already linked to another account. Sign in to that account instead.',
  invalid_api_key: 'The API key is missing, malformed, unknown or deleted.',
  api_key_expired: 'The API key has expired. Create a new one.',
  too_many_keys: 'You have reached the most API keys an account can hold. Delete one you no longer use, then try again.',
  busy: 'The server is busy. Try again in a moment.',
  host_not_allowed: 'This server does not answer for this host name. Use its own address.',
  internal_error: 'Something went wrong on our side. Try again in a moment.',
} as const;

export type ErrorCode = keyof typeof errorMessages;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: Record<string, string>; attempt?: string };
}

/** An error that becomes the contract's error shape in the app's one `onError`. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string = errorMessages[code],
    readonly fields?: Record<string, string>,
    readonly headers: Record<string, string> = {},
    /** The open sign-up attempt an `email_not_verified` refers to. */
    readonly attempt?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}), ...(this.attempt ? { attempt: this.attempt } : {}) },
    };
  }
}

const serialised = new Map<ErrorCode, string>();

/**
 * The contract's bytes for an error with no `fields`, as `c.json(new AppError(…, code).toBody())`
 * would send them, serialised once per code: floods are made of refusals, and building an
 * `Error` (its stack trace) and a fresh JSON string for each cost more than the rest of one.
 */
export function errorBodyText(code: ErrorCode): string {
  let text = serialised.get(code);
  if (text === undefined) {
    text = JSON.stringify({ error: { code, message: errorMessages[code] } });
    serialised.set(code, text);
  }
  return text;
}

export const validationFailed = (fields: Record<string, string>) =>
  new AppError(422, 'validation_failed', errorMessages.validation_failed, fields);

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'rate_limited', errorMessages.rate_limited, undefined, { 'Retry-After': String(retryAfterSeconds) });
