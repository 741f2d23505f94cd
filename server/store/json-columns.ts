import type { PendingIdentity, PendingPasskey } from './types.js';

// What a sign-up attempt carries besides its password: kept as JSON text on the attempt by every
// backend (nothing queries inside it), the passkey's key bytes as base64url.

export const pendingPasskeyToJson = (p: PendingPasskey): string => JSON.stringify({ ...p, publicKey: Buffer.from(p.publicKey).toString('base64url') });

export function pendingPasskeyFromJson(text: string): PendingPasskey {
  const p = JSON.parse(text) as Omit<PendingPasskey, 'publicKey'> & { publicKey: string };
  return { ...p, publicKey: new Uint8Array(Buffer.from(p.publicKey, 'base64url')) };
}

export const pendingIdentityFromJson = (text: string): PendingIdentity => JSON.parse(text) as PendingIdentity;
