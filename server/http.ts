import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { AccountError, type AccountErrorCode } from './accounts/errors.js';
import { requestHeader } from './auth/node-request.js';
import { HashingBusyError } from './auth/passwords.js';
import { SESSION_COOKIE, type Sessions } from './auth/sessions.js';
import { refuse } from './http/flood-gate.js';
import type { AppConfig } from './config.js';
import { AppError, type ErrorCode, errorMessages, rateLimited, validationFailed } from './errors.js';

const MAX_BODY = 64 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

const limitBody = bodyLimit({
  maxSize: MAX_BODY,
  onError: () => {
    throw new AppError(413, 'payload_too_large');
  },
});

/** 415 for a body that isn't JSON, 400 for JSON that doesn't parse; the parse is kept for the route. */
async function parseJsonBody(c: Context): Promise<void> {
  const text = await c.req.text();
  if (text.length === 0) return;
  const type = c.req.header('content-type')?.split(';')[0]?.trim() ?? '';
  if (!JSON_TYPE.test(type)) throw new AppError(415, 'unsupported_media_type');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError(400, 'invalid_json');
  }
  // Hono's `json()` would parse the text again for the route's validator: hand it this parse.
  (c.req as { json: () => Promise<unknown> }).json = () => Promise.resolve(parsed);
}

/**
 * 413 over 64 KiB, 415 for a body that isn't JSON, 400 for JSON that doesn't parse — before any
 * handler runs. Reads carry no body, so they skip it (it would cost every GET a body check).
 * With a Content-Length (Node's parser holds the body to it) the size is checked from the
 * header and the body read straight from Node: `bodyLimit` would first turn the request into a
 * full Fetch Request, the largest cost of a refused sign-in in a flood. Chunked bodies still
 * go through `bodyLimit`, which counts as it reads.
 */
export const jsonBodyOnly = (): MiddlewareHandler => async (c, next) => {
  if (!UNSAFE.has(c.req.method)) return next();
  const length = requestHeader(c, 'content-length');
  if (length !== undefined && requestHeader(c, 'transfer-encoding') === undefined) {
    if (Number(length) > MAX_BODY) throw new AppError(413, 'payload_too_large');
    await parseJsonBody(c);
    return next();
  }
  return limitBody(c, async () => {
    await parseJsonBody(c);
    await next();
  });
};

/**
 * CORS with credentials for allowed origins only. Hono's `cors()` sends
 * `Access-Control-Allow-Credentials` to every origin, so a foreign one skips it entirely and
 * gets no CORS header at all (its preflight finds no route).
 */
export function corsForAllowedOrigins(allowed: ReadonlySet<string>, originAllowed: OriginPolicy): MiddlewareHandler {
  const answer = cors({
    origin: (origin) => origin,
    credentials: true,
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header('origin') ?? '';
    // A preflight carries no cookie: it is answered for any organization's origin, and the
    // request itself is then checked against the one it concerns.
    const allowedHere = c.req.method === 'OPTIONS' ? allowed.has(origin) : await originAllowed(c, origin);
    if (allowedHere) return answer(c, next);
    await next();
    c.header('Vary', 'Origin', { append: true });
  };
}

/** Whether a request's Origin may call the API with credentials and change state. */
export type OriginPolicy = (c: Context, origin: string) => Promise<boolean>;

/** Routes that act for the organization they name (sign-up, sign-in…): the route checks that one. */
const ORGANIZATION_ROUTES = /^\/api\/(config|signup|signin|verify-email|password-reset|passkeys\/signup|passkeys\/signin)(\/|$)/;

/**
 * Tenant isolation: a request with a session is judged by the session user's organization's
 * origins, so one organization's site cannot drive another's accounts; sign-up and sign-in by
 * the requested organization's (checked in the account rules), the union being the first gate.
 */
export function originPolicy(config: AppConfig, allowed: ReadonlySet<string>, sessions: Sessions): OriginPolicy {
  return async (c, origin) => {
    if (!allowed.has(origin)) return false;
    if (ORGANIZATION_ROUTES.test(c.req.path) || getCookie(c, SESSION_COOKIE) === undefined) return true;
    const session = await sessions.read(c);
    return !session || (config.organizations.get(session.user.organizationId)?.allowedOrigins.includes(origin) ?? false);
  };
}

/**
 * CSRF gate: a state-changing request must come from an allowed origin; without an Origin
 * header it is accepted only when it carries no session cookie (e.g. curl or a server).
 */
export const originGuard =
  (originAllowed: OriginPolicy): MiddlewareHandler =>
  async (c, next) => {
    if (UNSAFE.has(c.req.method)) {
      const origin = c.req.header('origin');
      if (origin ? !(await originAllowed(c, origin)) : getCookie(c, SESSION_COOKIE) !== undefined) {
        throw new AppError(403, 'origin_not_allowed');
      }
    }
    await next();
  };

/**
 * Two `perso_session` cookies in one request count as none: a sibling subdomain can plant a
 * second one (cookie tossing), and whichever the server picked could be the planted session.
 * Cheap unless the name really appears twice, so every request can pass through it.
 */
export const oneSessionCookie = (): MiddlewareHandler => async (c, next) => {
  const cookie = requestHeader(c, 'cookie');
  const name = `${SESSION_COOKIE}=`;
  if (cookie && cookie.indexOf(name) !== cookie.lastIndexOf(name)) {
    const pairs = cookie.split(';');
    const others = pairs.filter((pair) => pair.trim().split('=', 1)[0] !== SESSION_COOKIE);
    if (pairs.length - others.length > 1) {
      const headers = new Headers(c.req.raw.headers);
      if (others.length) headers.set('cookie', others.join(';'));
      else headers.delete('cookie');
      c.req.raw = new Request(c.req.raw, { headers });
    }
  }
  await next();
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `example.com` from `example.com:8787`, `[::1]` from `[::1]:8787`. */
const hostName = (host: string) => (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!).toLowerCase();

/**
 * While the dev outbox is on, only requests addressed to the public host or to loopback are
 * answered: otherwise a site whose name was re-pointed at 127.0.0.1 (DNS rebinding) could read
 * every mail in the outbox from a browser on this machine.
 */
export function hostGuard(publicUrl: string): MiddlewareHandler {
  const allowed = new Set([...LOOPBACK_HOSTS, hostName(new URL(publicUrl).host)]);
  return async (c, next) => {
    const host = requestHeader(c, 'host') ?? new URL(c.req.url).host;
    if (!allowed.has(hostName(host))) throw new AppError(403, 'host_not_allowed');
    await next();
  };
}

/** The app's validation hook: schema failures become 422 with a sentence per field. */
export function validationHook(result: { success: boolean; error?: z.ZodError }, _c: Context): void {
  if (result.success || !result.error) return;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const name = issue.path.length ? issue.path.join('.') : 'body';
    fields[name] ??= issue.path.length ? issue.message : 'Send a JSON object.';
  }
  throw validationFailed(fields);
}

const LIBRARY_REFUSALS: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_json',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

const ACCOUNT_STATUS: Record<AccountErrorCode, ContentfulStatusCode> = {
  unknown_organization: 404,
  method_disabled: 403,
  origin_not_allowed: 403,
  invalid_token: 400,
  token_expired: 400,
  invalid_code: 400,
  attempt_closed: 400,
  other_browser: 403,
  invalid_credentials: 401,
  email_not_verified: 403,
  rate_limited: 429,
  invalid_challenge: 400,
  passkey_rejected: 400,
  passkey_unknown: 401,
  passkey_exists: 409,
  last_sign_in_method: 409,
  not_found: 404,
  // The OAuth routes answer these by a redirect to `return_to?perso_error=…`; the statuses are
  // for the record, should a rule ever be called from a JSON route.
  oauth_cancelled: 400,
  oauth_unavailable: 502,
  oauth_invalid_state: 400,
  oauth_rejected: 400,
  oauth_email_missing: 400,
  identity_in_use: 409,
};

/** The HTTP answer for a refusal of the account rules. */
export function accountErrorToHttp(error: AccountError): AppError {
  if (error.code === 'rate_limited') return rateLimited(error.detail.retryAfterS ?? 60);
  return new AppError(ACCOUNT_STATUS[error.code], error.code, errorMessages[error.code], undefined, {}, error.detail.attempt);
}

/** The one error handler: every failure leaves in the contract's shape, never with a stack trace. */
export const onError =
  (log: (message: string, error: unknown) => void): ErrorHandler =>
  (error, c) => {
    // The two refusals floods are made of leave pre-serialised, with no second Error built.
    if (error instanceof AccountError && error.code === 'rate_limited') return refuse(c, 429, error.detail.retryAfterS ?? 60);
    if (error instanceof HashingBusyError) return refuse(c, 503, error.retryAfterS);
    if (error instanceof AccountError) error = accountErrorToHttp(error);
    if (error instanceof AppError) {
      return c.json(error.toBody(), error.status, error.headers);
    }
    // Hono and @hono/zod-openapi refuse some requests themselves, e.g. an unparsable body (400)
    // or an empty body under a non-JSON content type (415): same answer as our own checks.
    const code = error instanceof HTTPException ? LIBRARY_REFUSALS[error.status] : undefined;
    if (code) {
      const status = (error as HTTPException).status as ContentfulStatusCode;
      return c.json(new AppError(status, code).toBody(), status);
    }
    log(`Unhandled error on ${c.req.method} ${c.req.path}`, error);
    return c.json(new AppError(500, 'internal_error').toBody(), 500);
  };
