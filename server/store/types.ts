/** Storage in domain terms. Times are epoch milliseconds; every backend passes the same contract suite. */

export interface UserRecord {
  id: string;
  email: string;
  organizationId: string;
  /** The password that signs in; `null` until an account with a password is verified or for password-less accounts. */
  passwordHash: string | null;
  emailVerifiedAt: number | null;
  createdAt: number;
}

export type Locale = 'en' | 'ko';

/**
 * One sign-up: the credential it would set, bound to the browser that chose it. `new` attempts
 * complete into an account when their email is verified in that browser; `existing` ones (the
 * email already had an account) never complete, but make sign-in with their password answer as
 * an unverified sign-up would.
 */
export interface AttemptRecord {
  id: string;
  email: string;
  organizationId: string;
  purpose: 'new' | 'existing';
  passwordHash: string | null;
  locale: Locale;
  redirect: string | null;
  /** SHA-256 of the `perso_signup` cookie of the browser that started it. */
  bindingHash: string;
  /** A passkey sign-up's credential, moved onto the account when the attempt completes; absent for password sign-ups. */
  passkey?: PendingPasskey | null;
  /** A social sign-in's provider account, attached when the attempt completes; absent otherwise. */
  identity?: PendingIdentity | null;
  codeFailures: number;
  status: 'open' | 'completed' | 'closed';
  createdAt: number;
  expiresAt: number;
}

/** Kinds of single-use secret; later kinds (OAuth state) share the table. */
export type VerificationKind = 'verify_link' | 'verify_code' | 'password_reset' | 'webauthn_signup' | 'webauthn_signin' | 'webauthn_add' | 'oauth_state';

/** A single-use secret, stored only as a hash, naming what it proves (an attempt or a user). */
export interface VerificationRecord {
  kind: VerificationKind;
  secretHash: string;
  subject: string;
  expiresAt: number;
  createdAt: number;
  /** What the secret was issued for, when its subject alone does not say (a WebAuthn challenge's email and user handle). */
  payload?: string | null;
}

export type ConsumeResult = { status: 'consumed'; verification: VerificationRecord } | { status: 'invalid' } | { status: 'expired' };

export interface QueuedMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
  tries: number;
  createdAt: number;
}

/** A WebAuthn credential that signs its user in. */
export interface PasskeyRecord {
  id: string;
  /** The authenticator's credential id, base64url. */
  credentialId: string;
  userId: string;
  /** The WebAuthn user handle the authenticator stores with it (base64url): one per account. */
  userHandle: string;
  /** COSE public key. */
  publicKey: Uint8Array<ArrayBuffer>;
  /** The signature counter last seen; 0 for authenticators that do not count. */
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  /** For people, e.g. "Chrome on macOS". */
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A passkey chosen at sign-up, waiting on its attempt for the email to be verified. */
export type PendingPasskey = Omit<PasskeyRecord, 'id' | 'userId' | 'lastUsedAt'>;

/**
 * One account at a provider: `provider` is the issuer for OpenID providers (an issuer names its
 * subjects) and `github` for GitHub; `subject` is the provider's stable id, never the email.
 */
export interface IdentityRecord {
  provider: string;
  subject: string;
  userId: string;
  /** The address the provider gave at linking, for people; never used to match. */
  email: string | null;
  createdAt: number;
}

export type PendingIdentity = Omit<IdentityRecord, 'userId'>;

export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  /** First and last 4 hex characters of the secret, for `maskedKey`. */
  start: string;
  end: string;
  expiresAt: number | null;
  lastUsedAt: number | null;
  createdAt: number;
}

export interface NewApiKey extends Omit<ApiKeyRecord, 'lastUsedAt'> {
  /** SHA-256 of the full secret. */
  keyHash: Buffer;
}

/** What the `/v1` key check needs, from one indexed lookup. */
export interface ApiKeyOwner {
  keyId: string;
  keyName: string;
  expiresAt: number | null;
  userId: string;
  email: string;
  organizationId: string;
}

export interface KeyUsage {
  keyId: string;
  /** Latest use in this batch. */
  lastUsedAt: number;
  /** Uses per UTC day (`YYYY-MM-DD`) in this batch. */
  days: ReadonlyMap<string, number>;
}

export interface Store {
  createUser(user: UserRecord): Promise<void>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;

  /** Sets the password that signs in (password reset). */
  setPassword(userId: string, passwordHash: string): Promise<void>;

  createAttempt(attempt: AttemptRecord): Promise<void>;
  findAttempt(id: string): Promise<AttemptRecord | undefined>;
  /** The browser's newest open attempt (expired or not), for a resend that names none. */
  newestOpenAttemptForBinding(bindingHash: string): Promise<AttemptRecord | undefined>;
  /** Open, unexpired attempts for an email, newest first, at most `limit`. */
  openAttempts(email: string, now: number, limit: number): Promise<AttemptRecord[]>;
  /** Adds one wrong code; closes the attempt once it reaches `max`. Returns the new count. */
  recordCodeFailure(attemptId: string, max: number): Promise<number>;
  setAttemptStatus(attemptId: string, status: AttemptRecord['status']): Promise<void>;
  extendAttempt(attemptId: string, expiresAt: number): Promise<void>;
  /** Closes every open attempt for the email except `keepId`. */
  closeOpenAttempts(email: string, keepId?: string): Promise<void>;

  createVerification(verification: VerificationRecord): Promise<void>;
  /** Reads a secret without using it up. */
  findVerification(kind: VerificationKind, secretHash: string): Promise<VerificationRecord | undefined>;
  /** Atomically deletes the secret and says whether it was there and unexpired: works once. */
  consumeVerification(kind: VerificationKind, secretHash: string, now: number): Promise<ConsumeResult>;
  /** Drops every secret of `kind` naming `subject` (a resend replaces the old link and code). */
  deleteVerifications(subject: string, kinds: readonly VerificationKind[]): Promise<void>;
  /** Removes secrets and attempts expired before `before`; returns how many rows went. */
  deleteExpiredVerifications(before: number): Promise<number>;

  /**
   * Runs `fn` atomically, isolated as if concurrent transactions ran one after the other (SQLite
   * runs them so; PostgreSQL runs them SERIALIZABLE and runs `fn` again when it had to abort it).
   * `fn` must only await and act through the store it is given: on SQLite the transaction holds
   * the one connection, so anything slower would stall every other request, and on PostgreSQL
   * `fn` may run more than once.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  enqueueMail(mail: Omit<QueuedMail, 'tries'>): Promise<void>;
  /** Takes up to `limit` due mails and hides them from other takers for `leaseMs` (a crash mid-send retries them). */
  claimDueMail(now: number, limit: number, leaseMs: number): Promise<QueuedMail[]>;
  /** Sent: the body (which may carry a link or code) is dropped, the row kept for the mail budget. */
  markMailSent(id: string): Promise<void>;
  /** Not sent: try again at `nextTryAt`, or give up when it is null. */
  markMailFailed(id: string, error: string, nextTryAt: number | null): Promise<void>;
  /** Mails queued to an address since `since`: the per-address mail budget. */
  countMailTo(to: string, since: number): Promise<number>;
  /** Forgets sent and failed mail older than `before`. */
  deleteOldMail(before: number): Promise<number>;

  /** Fails (throws) when the credential id is registered already. */
  createPasskey(passkey: PasskeyRecord): Promise<void>;
  findPasskeyByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined>;
  /** The user's passkeys, oldest first. */
  listPasskeys(userId: string): Promise<PasskeyRecord[]>;
  /** After a verified sign-in: the new signature counter and the time of use. */
  recordPasskeyUse(id: string, counter: number, usedAt: number): Promise<void>;
  /** Deletes the passkey only if `userId` owns it; false when there was nothing to delete. */
  deletePasskey(userId: string, id: string): Promise<boolean>;

  /** Fails (throws) when the provider account is linked already. */
  createIdentity(identity: IdentityRecord): Promise<void>;
  findIdentity(provider: string, subject: string): Promise<IdentityRecord | undefined>;

  createSession(session: SessionRecord): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | undefined>;
  touchSession(idHash: string, lastSeenAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of the user except `keepIdHash` (after a password reset). */
  deleteUserSessions(userId: string, keepIdHash?: string): Promise<void>;
  /** Removes sessions past their absolute lifetime or idle for `idleMs`; returns how many. */
  deleteExpiredSessions(now: number, idleMs: number): Promise<number>;

  /**
   * Adds the key; with `maxPerUser`, only while the user holds fewer keys than that, checked and
   * inserted atomically so concurrent creations cannot pass the cap. False when refused.
   */
  createApiKey(key: NewApiKey, options?: { maxPerUser?: number }): Promise<boolean>;
  /** The user's keys, newest first. */
  listApiKeys(userId: string): Promise<ApiKeyRecord[]>;
  /**
   * Deletes the key only if `userId` owns it; false when there was nothing to delete. Records
   * the deletion as the next revocation, in the same transaction.
   */
  deleteApiKey(userId: string, keyId: string): Promise<boolean>;
  findApiKeyByHash(keyHash: Buffer): Promise<ApiKeyOwner | undefined>;
  /**
   * Revocations after `revision`, oldest first, and the newest revision committed (0 when none).
   * Revisions are committed in order: once a revision is visible, so is every one before it.
   */
  revocationsSince(revision: number): Promise<{ revision: number; keyHashes: Buffer[]; userIds: string[] }>;
  /** Forgets revocation rows older than `before` (ms); the newest row is always kept. */
  deleteOldRevocations(before: number): Promise<number>;
  /** Applies a batch of coalesced uses in one transaction: one row write per key and day. */
  recordApiKeyUsage(usage: readonly KeyUsage[]): Promise<void>;
  /** Uses per key per UTC day from `sinceDay` (inclusive) for the user's keys. */
  apiKeyUsage(userId: string, sinceDay: string): Promise<{ keyId: string; day: string; count: number }[]>;

  close(): Promise<void>;
}
