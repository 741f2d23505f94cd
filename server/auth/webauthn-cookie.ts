import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppConfig } from '../config.js';
import { cookieAttributes } from './cookie-attributes.js';

export const WEBAUTHN_COOKIE = 'perso_webauthn';
/** As long as a challenge lives: the cookie only ties the ceremonies of the next minutes to this browser. */
export const CHALLENGE_TTL_S = 300;

/** The browser's WebAuthn binding, if it has one. */
export const readWebauthnBinding = (c: Context): string | undefined => getCookie(c, WEBAUTHN_COOKIE);

/** Scoped to the passkey routes: no other request needs to carry it. */
export function setWebauthnBinding(c: Context, config: Pick<AppConfig, 'cookie'>, value: string): void {
  setCookie(c, WEBAUTHN_COOKIE, value, { ...cookieAttributes(config), path: '/api/passkeys', maxAge: CHALLENGE_TTL_S });
}
