/** Wire types of the Perso HTTP API (see the README's API section). */
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';

export interface User {
  id: string;
  email: string;
  emailVerified: boolean;
  organizationId: string;
  createdAt: string;
}

export interface SocialProvider {
  id: string;
  name: string;
}

export interface OrganizationConfig {
  organization: { id: string; name: string };
  methods: { password: boolean; passkey: boolean; social: SocialProvider[] };
}

export interface ApiKey {
  id: string;
  name: string;
  maskedKey: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  /** Requests per UTC day for the last 30 days, oldest first (30 numbers). */
  usage?: number[];
}

export interface CreatedApiKey {
  key: ApiKey;
  secret: string;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string>; [extra: string]: unknown };
}

/** The languages mails and server pages come in (API.md §2). */
export type MailLocale = 'en' | 'ko';

export interface SignUpInput {
  email: string;
  password: string;
  organization?: string;
  redirect?: string;
  locale?: MailLocale;
}

/** `POST /api/signup`'s answer: the attempt this browser started. */
export interface SignUpAccepted {
  status: 'verification_sent';
  /** Opaque id of the attempt; sent with the code, and to resend its mail. */
  attempt: string;
  /** The per-address mail budget held the mail back: earlier mails are still valid. */
  mailHeld?: boolean;
}

export interface ResendAccepted {
  status: 'verification_sent';
  mailHeld?: boolean;
}

/** What completes a sign-up attempt: the mail's link token, or its code with the attempt id. */
export type VerificationProof = { token: string } | { attempt: string; code: string };

/** WebAuthn options as the server sends them, for `@simplewebauthn/browser`. */
export type PasskeyCreationOptions = PublicKeyCredentialCreationOptionsJSON;
export type PasskeyRequestOptions = PublicKeyCredentialRequestOptionsJSON;

export interface PasskeySignUpInput {
  email: string;
  /** The registration response of `startRegistration`. */
  response: unknown;
  redirect?: string;
  locale?: MailLocale;
}

export interface Passkey {
  id: string;
  /** E.g. "Chrome on macOS". */
  name: string;
  /** The WebAuthn credential id (base64url). */
  credentialId: string;
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface PasskeyList {
  passkeys: Passkey[];
  /** The relying party id, for telling the browser about a removed passkey. */
  rpId: string;
}
