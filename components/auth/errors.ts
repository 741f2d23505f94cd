import type { PersoErrorDetail } from '../base/events.js';
import { loadErrorMessages, type Localizer } from '../base/localize.js';
import { ApiError } from '../client/api-error.js';

/**
 * The sentence for an error code in the element's language: the kit's own when it has one,
 * else `serverMessage` (else "Something went wrong"). `retryAfter` fills a rate limit's wait.
 */
export function describeCode(code: string, t: Localizer, options: { serverMessage?: string; retryAfter?: number } = {}): string {
  return t.error(code, options.serverMessage ?? t.term('error.unexpected'), { time: t.wait(options.retryAfter ?? 60) });
}

/**
 * Turns anything a client call throws into the `{code, message}` the kit shows and emits, in
 * the element's language. The one error describer of every element.
 */
export function describeError(error: unknown, t: Localizer): PersoErrorDetail {
  if (!(error instanceof ApiError)) return { code: 'unexpected', message: t.term('error.unexpected') };
  return { code: error.code, message: describeCode(error.code, t, { serverMessage: error.message, retryAfter: error.retryAfter }) };
}

/** `describeError` once the sentences of error codes have loaded: for failures that are reported or kept. */
export async function describeFailure(error: unknown, t: () => Localizer): Promise<PersoErrorDetail> {
  await loadErrorMessages();
  return describeError(error, t());
}

/** A 401: the session is gone, which every element shows through the session broadcast; not a failure to report. */
export const endedSession = (error: unknown): boolean => error instanceof ApiError && error.status === 401;
