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

export interface NewVerificationToken {
  tokenHash: string;
  userId: string;
  /** Password chosen at this sign-up; applied only when this token is used, so a stranger's sign-up can't set it. */
  passwordHash: string | null;
  redirect: string | null;
  expiresAt: number;
  createdAt: number;
}

export type PendingSignUp = Pick<NewVerificationToken, 'passwordHash' | 'redirect'>;

export type ConsumeTokenResult =
  | { status: 'verified'; user: UserRecord; redirect: string | null }
  | { status: 'invalid' }
  | { status: 'expired' };

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

  createVerificationToken(token: NewVerificationToken): Promise<void>;
  /**
   * Password hash and redirect carried by the user's newest unused token, expired or not: what an
   * unverified account signs in with, and what a resent link carries. Expiry ends the link, not
   * the choices made with it; otherwise a link resent after 24 h would verify an account nobody
   * can sign in to.
   */
  pendingSignUp(userId: string): Promise<PendingSignUp | undefined>;
  /** Marks the token used and the email verified in one transaction; a token works once. */
  consumeVerificationToken(tokenHash: string, now: number): Promise<ConsumeTokenResult>;

  createSession(session: SessionRecord): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | undefined>;
  touchSession(idHash: string, lastSeenAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Removes sessions past their absolute lifetime or idle for `idleMs`; returns how many. */
  deleteExpiredSessions(now: number, idleMs: number): Promise<number>;

  /**
   * Adds the key; with `maxPerUser`, only while the user holds fewer keys than that, checked and
   * inserted atomically so concurrent creations cannot pass the cap. False when refused.
   */
  createApiKey(key: NewApiKey, options?: { maxPerUser?: number }): Promise<boolean>;
  /** The user's keys, newest first. */
  listApiKeys(userId: string): Promise<ApiKeyRecord[]>;
  /** Deletes the key only if `userId` owns it; false when there was nothing to delete. */
  deleteApiKey(userId: string, keyId: string): Promise<boolean>;
  findApiKeyByHash(keyHash: Buffer): Promise<ApiKeyOwner | undefined>;
  /** Applies a batch of coalesced uses in one transaction: one row write per key and day. */
  recordApiKeyUsage(usage: readonly KeyUsage[]): Promise<void>;
  /** Uses per key per UTC day from `sinceDay` (inclusive) for the user's keys. */
  apiKeyUsage(userId: string, sinceDay: string): Promise<{ keyId: string; day: string; count: number }[]>;

  close(): Promise<void>;
}
