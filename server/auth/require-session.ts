import type { MiddlewareHandler } from 'hono';
import type { AppConfig } from '../config.js';
import { AppError } from '../errors.js';
import type { ActiveSession, Sessions } from './sessions.js';

export type SessionVariables = { session: ActiveSession };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Admits a verified, signed-in user; state changes must come from one of that user's organization's origins. */
export const requireSession =
  (sessions: Sessions, config: AppConfig): MiddlewareHandler<{ Variables: SessionVariables }> =>
  async (c, next) => {
    const session = await sessions.read(c);
    if (!session) throw new AppError(401, 'unauthenticated');
    const origin = c.req.header('origin');
    if (UNSAFE.has(c.req.method) && origin && !config.organizations.get(session.user.organizationId)?.allowedOrigins.includes(origin)) {
      throw new AppError(403, 'origin_not_allowed');
    }
    c.set('session', session);
    await next();
  };
