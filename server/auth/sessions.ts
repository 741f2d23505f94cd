import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import type { Store, UserRecord } from '../store/types.js';
import { cookieAttributes } from './cookie-attributes.js';
import { randomToken, sha256Hex } from './tokens.js';

export const SESSION_COOKIE = 'perso_session';
/** Recording activity at most this often keeps reads from turning into writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface ActiveSession {
  idHash: string;
  user: UserRecord;
}

/** Server-side sessions stored under a hash of the cookie value, with absolute and idle lifetimes. */
export function createSessions(store: Store, clock: Clock, config: Pick<AppConfig, 'cookie' | 'sessions'>) {
  const cookieOptions = { ...cookieAttributes(config), path: '/' } as const;

  async function forget(c: Context): Promise<void> {
    const value = getCookie(c, SESSION_COOKIE);
    if (value) await store.deleteSession(sha256Hex(value));
  }

  async function end(c: Context): Promise<void> {
    await forget(c);
    seen.delete(c.req.raw);
    deleteCookie(c, SESSION_COOKIE, cookieOptions);
  }

  /** One lookup per request: the origin policy and the route's guard both ask. */
  const seen = new WeakMap<Request, Promise<ActiveSession | undefined>>();

  async function lookup(c: Context): Promise<ActiveSession | undefined> {
    const value = getCookie(c, SESSION_COOKIE);
    if (!value) return undefined;
    const idHash = sha256Hex(value);
    const session = await store.findSession(idHash);
    if (!session) return undefined;
    const now = clock.now();
    if (session.expiresAt <= now || session.lastSeenAt + config.sessions.idleMs <= now) {
      await store.deleteSession(idHash);
      return undefined;
    }
    const user = await store.findUserById(session.userId);
    if (!user?.emailVerifiedAt) return undefined;
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) await store.touchSession(idHash, now);
    return { idHash, user };
  }

  return {
    /** Starts a new session (a new id every time, ending any the browser held) and sets the cookie. */
    async start(c: Context, userId: string): Promise<void> {
      await forget(c);
      seen.delete(c.req.raw);
      const value = randomToken();
      const now = clock.now();
      const expiresAt = now + config.sessions.absoluteMs;
      await store.createSession({ idHash: sha256Hex(value), userId, createdAt: now, lastSeenAt: now, expiresAt });
      setCookie(c, SESSION_COOKIE, value, { ...cookieOptions, expires: new Date(expiresAt) });
    },

    /** The valid session behind the request's cookie, if any; expired ones are removed. */
    read(c: Context): Promise<ActiveSession | undefined> {
      let session = seen.get(c.req.raw);
      if (!session) {
        session = lookup(c);
        seen.set(c.req.raw, session);
      }
      return session;
    },

    end,
  };
}

export type Sessions = ReturnType<typeof createSessions>;
