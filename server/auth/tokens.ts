import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe secret (256 bits): session ids and verification tokens. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Only this hash is stored, so a leaked database cannot be used to sign in or verify. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');
