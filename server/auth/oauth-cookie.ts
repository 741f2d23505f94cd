import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppConfig } from '../config.js';
import { cookieAttributes } from './cookie-attributes.js';

export const OAUTH_COOKIE = 'perso_oauth';
/** As long as an OAuth state lives: the cookie only ties the provider round trip to this browser. */
export const OAUTH_STATE_TTL_S = 600;

export const readOAuthBinding = (c: Context): string | undefined => getCookie(c, OAUTH_COOKIE);

/**
 * Scoped to the OAuth routes. Both ends of the round trip are top-level navigations to this
 * server (the start, and the provider's redirect back), which carry Lax cookies.
 */
export function setOAuthBinding(c: Context, config: Pick<AppConfig, 'cookie'>, value: string): void {
  setCookie(c, OAUTH_COOKIE, value, { ...cookieAttributes(config), path: '/api/oauth', maxAge: OAUTH_STATE_TTL_S });
}
