import { ApiError } from '../client/api-error.js';

/*
 * What the first screens need to know about passkeys, without the ceremonies (passkey.ts),
 * which load with the screens that run them.
 */

/** Whether this browser can make and use passkeys at all; checked without loading the library. */
export const passkeysSupported = (): boolean => typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';

/** A ceremony that ended because the page started another one or left: nothing to tell anyone. */
export const isAborted = (error: unknown): boolean => error instanceof ApiError && error.code === 'passkey_aborted';
