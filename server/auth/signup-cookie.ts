import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppConfig } from '../config.js';
import { cookieAttributes } from './cookie-attributes.js';

export const SIGNUP_COOKIE = 'perso_signup';
const DAY_S = 86_400;

/** The browser's sign-up binding: proof that a link is opened where its sign-up began. */
export const readSignupBinding = (c: Context): string | undefined => getCookie(c, SIGNUP_COOKIE);

export function setSignupBinding(c: Context, config: Pick<AppConfig, 'cookie'>, value: string): void {
  setCookie(c, SIGNUP_COOKIE, value, { ...cookieAttributes(config), path: '/', maxAge: DAY_S });
}
