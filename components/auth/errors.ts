import type { PersoErrorDetail } from '../base/events.js';
import type { Localizer } from '../base/localize.js';
import { ApiError } from '../client/api-error.js';

/**
 * Turns anything a client call throws into the `{code, message}` the kit shows and emits, in
 * the element's language. The one error describer of every element.
 */
export function describeError(error: unknown, t: Localizer): PersoErrorDetail {
  if (!(error instanceof ApiError)) return { code: 'unexpected', message: t.term('error.unexpected') };
  return { code: error.code, message: t.error(error.code, error.message, { time: t.wait(error.retryAfter ?? 60) }) };
}
