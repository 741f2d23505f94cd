import type { ApiKey, Passkey, User } from '../client/types.js';

export type SignUpMethod = 'password' | 'passkey' | 'social';

export interface PersoSignedUpDetail {
  email: string;
  method: SignUpMethod;
}
export interface PersoSignedInDetail {
  user: User;
}
export interface PersoErrorDetail {
  code: string;
  message: string;
}
export interface PersoKeyCreatedDetail {
  /** The created key's public fields; never the secret. */
  key: ApiKey;
}
export interface PersoKeyDeletedDetail {
  id: string;
}
/**
 * Why a session ended: `signed_out` when someone signed out through this page's client,
 * `expired` for every other end (expiry, a sign-out in another tab, a revoked session).
 */
export type SignOutReason = 'signed_out' | 'expired';
export interface PersoSignedOutDetail {
  reason: SignOutReason;
}

export interface PersoPasskeyAddedDetail {
  passkey: Passkey;
}
export interface PersoPasskeyRemovedDetail {
  id: string;
}

/** Every event the kit dispatches; all bubble and cross shadow roots. */
export interface PersoEventMap {
  'perso-signed-up': CustomEvent<PersoSignedUpDetail>;
  'perso-signed-in': CustomEvent<PersoSignedInDetail>;
  'perso-error': CustomEvent<PersoErrorDetail>;
  'perso-key-created': CustomEvent<PersoKeyCreatedDetail>;
  'perso-key-deleted': CustomEvent<PersoKeyDeletedDetail>;
  'perso-passkey-added': CustomEvent<PersoPasskeyAddedDetail>;
  'perso-passkey-removed': CustomEvent<PersoPasskeyRemovedDetail>;
  'perso-signed-out': CustomEvent<PersoSignedOutDetail>;
}

export type PersoEventName = keyof PersoEventMap;
export type PersoEventDetail<K extends PersoEventName> = PersoEventMap[K] extends CustomEvent<infer D> ? D : never;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends PersoEventMap {}
}
