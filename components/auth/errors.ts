import { errorMessage, msg } from '../base/localize.js';
import type { PersoErrorDetail } from '../base/events.js';
import { ApiError } from '../client/api-error.js';

/** Turns anything a client call throws into the `{code, message}` the kit shows and emits. */
export function describeError(error: unknown): PersoErrorDetail {
  if (!(error instanceof ApiError)) return { code: 'unexpected', message: msg('error.unexpected') };
  if (error.code === 'rate_limited') {
    return {
      code: error.code,
      message: error.retryAfter ? msg('error.rate_limited', { seconds: error.retryAfter }) : error.message,
    };
  }
  return { code: error.code, message: errorMessage(error.code, error.message) };
}
