import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import { SESSION_COOKIE } from './auth/sessions.js';
import { AppError, validationFailed } from './errors.js';

const MAX_BODY = 64 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** 413 over 64 KiB, 415 for a body that isn't JSON, 400 for JSON that doesn't parse — before any handler runs. */
export const jsonBodyOnly = (): MiddlewareHandler[] => [
  bodyLimit({
    maxSize: MAX_BODY,
    onError: () => {
      throw new AppError(413, 'payload_too_large');
    },
  }),
  async (c, next) => {
    if (UNSAFE.has(c.req.method) && c.req.raw.body !== null) {
      const text = await c.req.text();
      if (text.length > 0) {
        const type = c.req.header('content-type')?.split(';')[0]?.trim() ?? '';
        if (!JSON_TYPE.test(type)) throw new AppError(415, 'unsupported_media_type');
        try {
          JSON.parse(text);
        } catch {
          throw new AppError(400, 'invalid_json');
        }
      }
    }
    await next();
  },
];

/**
 * CSRF gate: a state-changing request must come from an allowed origin; without an Origin
 * header it is accepted only when it carries no session cookie (e.g. curl or a server).
 */
export const originGuard =
  (allowed: ReadonlySet<string>): MiddlewareHandler =>
  async (c, next) => {
    if (UNSAFE.has(c.req.method)) {
      const origin = c.req.header('origin');
      if (origin ? !allowed.has(origin) : getCookie(c, SESSION_COOKIE) !== undefined) {
        throw new AppError(403, 'origin_not_allowed');
      }
    }
    await next();
  };

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

/** The one error handler: every failure leaves in the contract's shape, never with a stack trace. */
export const onError =
  (log: (message: string, error: unknown) => void): ErrorHandler =>
  (error, c) => {
    if (error instanceof AppError) {
      return c.json(error.toBody(), error.status, error.headers);
    }
    // Hono's own JSON validator reports unparsable bodies this way.
    if (error instanceof HTTPException && error.status === 400) {
      return c.json(new AppError(400, 'invalid_json').toBody(), 400);
    }
    log(`Unhandled error on ${c.req.method} ${c.req.path}`, error);
    return c.json(new AppError(500, 'internal_error').toBody(), 500);
  };
