import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { pendingIdentityFromJson, pendingPasskeyFromJson, pendingPasskeyToJson } from '../json-columns.js';
import { migrations } from './migrations/index.js';
import type { ApiKeyOwner, ApiKeyRecord, AttemptRecord, KeyUsage, NewApiKey, PasskeyRecord, QueuedMail, Store, UserRecord, VerificationKind, VerificationRecord } from '../types.js';

interface UserRow {
  id: string;
  email: string;
  organization_id: string;
  password_hash: string | null;
  email_verified_at: number | null;
  created_at: number;
}

interface AttemptRow {
  id: string;
  email: string;
  organization_id: string;
  purpose: AttemptRecord['purpose'];
  password_hash: string | null;
  locale: AttemptRecord['locale'];
  redirect: string | null;
  binding_hash: string;
  passkey: string | null;
  identity: string | null;
  code_failures: number;
  status: AttemptRecord['status'];
  created_at: number;
  expires_at: number;
}

const toAttempt = (r: AttemptRow): AttemptRecord => ({
  id: r.id,
  email: r.email,
  organizationId: r.organization_id,
  purpose: r.purpose,
  passwordHash: r.password_hash,
  locale: r.locale,
  redirect: r.redirect,
  bindingHash: r.binding_hash,
  // Absent, not null, for password attempts: a record reads back as it was written.
  ...(r.passkey === null ? {} : { passkey: pendingPasskeyFromJson(r.passkey) }),
  ...(r.identity === null ? {} : { identity: pendingIdentityFromJson(r.identity) }),
  codeFailures: r.code_failures,
  status: r.status,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

interface VerificationRow {
  kind: VerificationKind;
  secret_hash: string;
  subject: string;
  expires_at: number;
  created_at: number;
  payload: string | null;
}

const toVerification = (r: VerificationRow): VerificationRecord => ({
  kind: r.kind,
  secretHash: r.secret_hash,
  subject: r.subject,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  ...(r.payload === null ? {} : { payload: r.payload }),
});

interface PasskeyRow {
  id: string;
  credential_id: string;
  user_id: string;
  user_handle: string;
  public_key: Buffer;
  counter: number;
  transports: string;
  device_type: PasskeyRecord['deviceType'];
  backed_up: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

const toPasskey = (r: PasskeyRow): PasskeyRecord => ({
  id: r.id,
  credentialId: r.credential_id,
  userId: r.user_id,
  userHandle: r.user_handle,
  publicKey: new Uint8Array(r.public_key),
  counter: r.counter,
  transports: JSON.parse(r.transports) as string[],
  deviceType: r.device_type,
  backedUp: r.backed_up === 1,
  name: r.name,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

interface MailRow {
  id: string;
  recipient: string;
  subject: string;
  body_text: string;
  body_html: string;
  links: string;
  tries: number;
  created_at: number;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  organizationId: r.organization_id,
  passwordHash: r.password_hash,
  emailVerifiedAt: r.email_verified_at,
  createdAt: r.created_at,
});

/**
 * The `/v1` hot path: one lookup through the unique index on `key_hash`, then the owner by
 * primary key. Exported so a test can hold SQLite's query plan to that.
 */
export const API_KEY_OWNER_SQL = `SELECT k.id AS keyId, k.name AS keyName, k.expires_at AS expiresAt, u.id AS userId, u.email AS email, u.organization_id AS organizationId
  FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?`;

/** Applies the numbered migrations not yet recorded in `user_version`, each in its own transaction. */
function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations.filter((m) => m.version > current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/**
 * Creates the file and any missing folder readable by this user only (0600 / 0700): the
 * database holds password hashes and every account's email. SQLite gives its -wal and -shm
 * files the database file's permissions. Existing files and folders keep theirs.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Opens (creating if needed) an SQLite database file; `:memory:` works for throwaway stores. */
/** The SQLite store, plus what only SQLite can tell: whether another connection has written. */
export interface SqliteStore extends Store {
  /** False for `:memory:`: no other connection can ever open this database. */
  readonly shared: boolean;
  /** False once closed. */
  readonly open: boolean;
  /**
   * Changes after any commit by another connection (`PRAGMA data_version`: another process
   * included; a few µs, two `fcntl` calls) and after each key revocation through this one.
   */
  changeVersion(): number;
  /** Key revocations committed through this store object so far: free to read. */
  ownRevocations(): number;
  /** The leases of processes holding verified keys in memory (api-keys/revocation/sqlite.ts). */
  readonly keyIndexLeases: KeyIndexLeases;
}

/** Rows of `key_index_instances`; times are epoch milliseconds. Synchronous, as better-sqlite3 is. */
export interface KeyIndexLeases {
  /** Creates or extends `id`'s lease (a new row acks `acked`); answers the newest revision. */
  renew(id: string, leaseUntil: number, acked: number): number;
  /** Records that `id` has applied every revocation up to `revision`. */
  ack(id: string, revision: number): void;
  /** How many other leases alive at `now` have not acked `revision`. */
  behind(id: string, revision: number, now: number): number;
  remove(id: string): void;
  /** Deletes leases that ended before `before`. */
  prune(before: number): void;
}

export function openSqliteStore(path: string): SqliteStore {
  if (path !== ':memory:') createPrivately(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A queued mail carries its link and code in clear until sent: freed bytes are zeroed so the
  // sent mail's secret does not linger in the file.
  db.pragma('secure_delete = ON');
  // The key table can hold millions of rows: map the file so hot index pages cost no read() call.
  db.pragma('mmap_size = 268435456');
  migrate(db);

  const q = {
    insertUser: db.prepare(
      'INSERT INTO users (id, email, organization_id, password_hash, email_verified_at, created_at) VALUES (@id, @email, @organizationId, @passwordHash, @emailVerifiedAt, @createdAt)',
    ),
    userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    insertAttempt: db.prepare(
      `INSERT INTO signup_attempts (id, email, organization_id, purpose, password_hash, passkey, identity, locale, redirect, binding_hash, code_failures, status, created_at, expires_at)
       VALUES (@id, @email, @organizationId, @purpose, @passwordHash, @passkey, @identity, @locale, @redirect, @bindingHash, @codeFailures, @status, @createdAt, @expiresAt)`,
    ),
    attemptById: db.prepare<[string], AttemptRow>('SELECT * FROM signup_attempts WHERE id = ?'),
    attemptForBinding: db.prepare<[string], AttemptRow>(
      "SELECT * FROM signup_attempts WHERE binding_hash = ? AND status = 'open' ORDER BY created_at DESC, id DESC LIMIT 1",
    ),
    openAttempts: db.prepare<[string, number, number], AttemptRow>(
      "SELECT * FROM signup_attempts WHERE email = ? AND status = 'open' AND expires_at > ? ORDER BY created_at DESC, id DESC LIMIT ?",
    ),
    codeFailure: db.prepare<[number, string], { code_failures: number }>(
      "UPDATE signup_attempts SET code_failures = code_failures + 1, status = CASE WHEN code_failures + 1 >= ? THEN 'closed' ELSE status END WHERE id = ? RETURNING code_failures",
    ),
    attemptStatus: db.prepare('UPDATE signup_attempts SET status = ? WHERE id = ?'),
    extendAttempt: db.prepare('UPDATE signup_attempts SET expires_at = ? WHERE id = ?'),
    closeAttempts: db.prepare("UPDATE signup_attempts SET status = 'closed' WHERE email = ? AND status = 'open' AND id != ?"),
    insertVerification: db.prepare(
      'INSERT INTO verifications (kind, secret_hash, subject, expires_at, created_at, payload) VALUES (@kind, @secretHash, @subject, @expiresAt, @createdAt, @payload)',
    ),
    verification: db.prepare<[string, string], VerificationRow>('SELECT * FROM verifications WHERE kind = ? AND secret_hash = ?'),
    consumeVerification: db.prepare<[string, string], VerificationRow>('DELETE FROM verifications WHERE kind = ? AND secret_hash = ? RETURNING *'),
    deleteVerifications: db.prepare<[string, string]>('DELETE FROM verifications WHERE subject = ? AND kind IN (SELECT value FROM json_each(?))'),
    expiredVerifications: db.prepare('DELETE FROM verifications WHERE expires_at <= ?'),
    expiredAttempts: db.prepare('DELETE FROM signup_attempts WHERE expires_at <= ?'),
    insertMail: db.prepare(
      `INSERT INTO mail_queue (id, recipient, subject, body_text, body_html, links, status, tries, next_try_at, created_at)
       VALUES (@id, @to, @subject, @text, @html, @links, 'queued', 0, @createdAt, @createdAt)`,
    ),
    // Claiming pushes `next_try_at` past the lease: another taker skips the row until then.
    claimMail: db.prepare<[number, number, number], MailRow>(
      `UPDATE mail_queue SET next_try_at = ?, tries = tries + 1 WHERE id IN
         (SELECT id FROM mail_queue WHERE status = 'queued' AND next_try_at <= ? ORDER BY next_try_at, id LIMIT ?)
       RETURNING id, recipient, subject, body_text, body_html, links, tries, created_at`,
    ),
    mailSent: db.prepare("UPDATE mail_queue SET status = 'sent', body_text = NULL, body_html = NULL, links = NULL, last_error = NULL WHERE id = ?"),
    mailRetry: db.prepare('UPDATE mail_queue SET next_try_at = ?, last_error = ? WHERE id = ?'),
    mailGiveUp: db.prepare("UPDATE mail_queue SET status = 'failed', body_text = NULL, body_html = NULL, links = NULL, last_error = ? WHERE id = ?"),
    countMail: db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM mail_queue WHERE recipient = ? AND created_at > ?'),
    oldMail: db.prepare("DELETE FROM mail_queue WHERE status != 'queued' AND created_at <= ?"),
    insertPasskey: db.prepare(
      `INSERT INTO passkeys (id, credential_id, user_id, user_handle, public_key, counter, transports, device_type, backed_up, name, created_at, last_used_at, seq)
       VALUES (@id, @credentialId, @userId, @userHandle, @publicKey, @counter, @transports, @deviceType, @backedUp, @name, @createdAt, @lastUsedAt,
               (SELECT coalesce(max(seq), 0) + 1 FROM passkeys WHERE user_id = @userId))`,
    ),
    passkeyByCredential: db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE credential_id = ?'),
    passkeysByUser: db.prepare<[string], PasskeyRow>('SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, seq'),
    passkeyUse: db.prepare('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?'),
    deletePasskey: db.prepare('DELETE FROM passkeys WHERE id = ? AND user_id = ?'),
    insertIdentity: db.prepare('INSERT INTO identities (provider, subject, user_id, email, created_at) VALUES (@provider, @subject, @userId, @email, @createdAt)'),
    identity: db.prepare<[string, string], { provider: string; subject: string; user_id: string; email: string | null; created_at: number }>(
      'SELECT * FROM identities WHERE provider = ? AND subject = ?',
    ),
    insertSession: db.prepare(
      'INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (@idHash, @userId, @createdAt, @lastSeenAt, @expiresAt)',
    ),
    sessionByHash: db.prepare<[string], { id_hash: string; user_id: string; created_at: number; last_seen_at: number; expires_at: number }>(
      'SELECT * FROM sessions WHERE id_hash = ?',
    ),
    touchSession: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
    deleteUserSessions: db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash != ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?'),
    insertKey: db.prepare(
      `INSERT INTO api_keys (id, user_id, name, key_hash, key_start, key_end, expires_at, created_at, seq)
       VALUES (@id, @userId, @name, @keyHash, @start, @end, @expiresAt, @createdAt, (SELECT coalesce(max(seq), 0) + 1 FROM api_keys WHERE user_id = @userId))`,
    ),
    keysByUser: db.prepare<[string], { id: string; user_id: string; name: string; key_start: string; key_end: string; expires_at: number | null; last_used_at: number | null; created_at: number }>(
      'SELECT id, user_id, name, key_start, key_end, expires_at, last_used_at, created_at FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, seq DESC',
    ),
    countKeys: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM api_keys WHERE user_id = ?'),
    deleteKey: db.prepare<[string, string], { key_hash: Buffer }>('DELETE FROM api_keys WHERE id = ? AND user_id = ? RETURNING key_hash'),
    insertRevocation: db.prepare<[Buffer | null, string | null, number]>(
      'INSERT INTO key_revocations (revision, key_hash, user_id, at) SELECT coalesce(max(revision), 0) + 1, ?, ?, ? FROM key_revocations',
    ),
    revision: db.prepare<[], number>('SELECT coalesce(max(revision), 0) FROM key_revocations').pluck(),
    revocationsAfter: db.prepare<[number, number], { key_hash: Buffer | null; user_id: string | null }>(
      'SELECT key_hash, user_id FROM key_revocations WHERE revision > ? AND revision <= ? ORDER BY revision',
    ),
    oldRevocations: db.prepare('DELETE FROM key_revocations WHERE at < ? AND revision < (SELECT max(revision) FROM key_revocations)'),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    renewLease: db.prepare<[string, number, number], number>(
      `INSERT INTO key_index_instances (id, lease_until, acked) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until
       RETURNING (SELECT coalesce(max(revision), 0) FROM key_revocations)`,
    ).pluck(),
    ackLease: db.prepare('UPDATE key_index_instances SET acked = max(acked, ?) WHERE id = ?'),
    leasesBehind: db.prepare<[string, number, number], number>(
      'SELECT count(*) FROM key_index_instances WHERE id <> ? AND acked < ? AND lease_until > ?',
    ).pluck(),
    removeLease: db.prepare('DELETE FROM key_index_instances WHERE id = ?'),
    pruneLeases: db.prepare('DELETE FROM key_index_instances WHERE lease_until < ?'),
    keyOwner: db.prepare<[Buffer], ApiKeyOwner>(API_KEY_OWNER_SQL),
    keyLastUsed: db.prepare('UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?'),
    // The key may have been deleted since the use was counted: skip it rather than break the batch.
    // Named parameters: better-sqlite3 refuses positional values for numbered ones (`?1`).
    keyUsageDay: db.prepare<{ keyId: string; day: string; count: number }>(
      `INSERT INTO api_key_usage (key_id, day, count) SELECT @keyId, @day, @count WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = @keyId)
       ON CONFLICT (key_id, day) DO UPDATE SET count = count + excluded.count`,
    ),
    usageSince: db.prepare<[string, string], { keyId: string; day: string; count: number }>(
      `SELECT u.key_id AS keyId, u.day, u.count FROM api_key_usage u JOIN api_keys k ON k.id = u.key_id
        WHERE k.user_id = ? AND u.day >= ?`,
    ),
  };

  const insertKeyUnderCap = db.transaction((key: NewApiKey, maxPerUser: number) => {
    if (q.countKeys.get(key.userId)!.n >= maxPerUser) return false;
    q.insertKey.run(key);
    return true;
  });

  let ownRevocations = 0;
  const deleteKeyAndRecord = db.transaction((keyId: string, userId: string): boolean => {
    const deleted = q.deleteKey.get(keyId, userId);
    if (deleted) q.insertRevocation.run(deleted.key_hash, null, Date.now());
    return deleted !== undefined;
  });
  // One read transaction: the newest revision and the rows up to it come from the same snapshot.
  const readRevocations = db.transaction((after: number) => {
    const revision = q.revision.get()!;
    const rows = revision > after ? q.revocationsAfter.all(after, revision) : [];
    return {
      revision,
      keyHashes: rows.flatMap((r) => (r.key_hash ? [r.key_hash] : [])),
      userIds: rows.flatMap((r) => (r.user_id ? [r.user_id] : [])),
    };
  });
  const recordUsage = db.transaction((usage: readonly KeyUsage[]) => {
    for (const u of usage) {
      q.keyLastUsed.run(u.lastUsedAt, u.keyId);
      for (const [day, count] of u.days) q.keyUsageDay.run({ keyId: u.keyId, day, count });
    }
  });

  let transactions: Promise<unknown> = Promise.resolve();
  const store: SqliteStore = {
    async createUser(user) {
      q.insertUser.run(user);
    },
    async findUserByEmail(email) {
      const row = q.userByEmail.get(email);
      return row && toUser(row);
    },
    async findUserById(id) {
      const row = q.userById.get(id);
      return row && toUser(row);
    },
    async setPassword(userId, passwordHash) {
      q.setPassword.run(passwordHash, userId);
    },
    async createAttempt(attempt) {
      q.insertAttempt.run({
        ...attempt,
        passkey: attempt.passkey ? pendingPasskeyToJson(attempt.passkey) : null,
        identity: attempt.identity ? JSON.stringify(attempt.identity) : null,
      });
    },
    async findAttempt(id) {
      const row = q.attemptById.get(id);
      return row && toAttempt(row);
    },
    async newestOpenAttemptForBinding(bindingHash) {
      const row = q.attemptForBinding.get(bindingHash);
      return row && toAttempt(row);
    },
    async openAttempts(email, now, limit) {
      return q.openAttempts.all(email, now, limit).map(toAttempt);
    },
    async recordCodeFailure(attemptId, max) {
      return q.codeFailure.get(max, attemptId)?.code_failures ?? max;
    },
    async setAttemptStatus(attemptId, status) {
      q.attemptStatus.run(status, attemptId);
    },
    async extendAttempt(attemptId, expiresAt) {
      q.extendAttempt.run(expiresAt, attemptId);
    },
    async closeOpenAttempts(email, keepId = '') {
      q.closeAttempts.run(email, keepId);
    },
    async createVerification(verification) {
      q.insertVerification.run({ ...verification, payload: verification.payload ?? null });
    },
    async findVerification(kind, secretHash) {
      const row = q.verification.get(kind, secretHash);
      return row && toVerification(row);
    },
    async consumeVerification(kind, secretHash, now) {
      const row = q.consumeVerification.get(kind, secretHash);
      if (!row) return { status: 'invalid' };
      return row.expires_at <= now ? { status: 'expired' } : { status: 'consumed', verification: toVerification(row) };
    },
    async deleteVerifications(subject, kinds) {
      q.deleteVerifications.run(subject, JSON.stringify(kinds));
    },
    async deleteExpiredVerifications(before) {
      return q.expiredVerifications.run(before).changes + q.expiredAttempts.run(before).changes;
    },
    async transaction(fn) {
      const run = async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(store);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      };
      // One connection: transactions queue behind each other instead of nesting.
      const result = transactions.then(run, run);
      transactions = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    async enqueueMail(mail) {
      q.insertMail.run({ ...mail, links: JSON.stringify(mail.links) });
    },
    async claimDueMail(now, limit, leaseMs) {
      return q.claimMail.all(now + leaseMs, now, limit).map(
        (r): QueuedMail => ({ id: r.id, to: r.recipient, subject: r.subject, text: r.body_text, html: r.body_html, links: JSON.parse(r.links) as string[], tries: r.tries, createdAt: r.created_at }),
      );
    },
    async markMailSent(id) {
      q.mailSent.run(id);
      // …nor in the write-ahead log, which keeps old page images until it is reset.
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    async markMailFailed(id, error, nextTryAt) {
      if (nextTryAt === null) q.mailGiveUp.run(error, id);
      else q.mailRetry.run(nextTryAt, error, id);
    },
    async countMailTo(to, since) {
      return q.countMail.get(to, since)!.n;
    },
    async deleteOldMail(before) {
      return q.oldMail.run(before).changes;
    },
    async createPasskey(passkey) {
      q.insertPasskey.run({
        ...passkey,
        publicKey: Buffer.from(passkey.publicKey),
        transports: JSON.stringify(passkey.transports),
        backedUp: passkey.backedUp ? 1 : 0,
      });
    },
    async findPasskeyByCredentialId(credentialId) {
      const row = q.passkeyByCredential.get(credentialId);
      return row && toPasskey(row);
    },
    async listPasskeys(userId) {
      return q.passkeysByUser.all(userId).map(toPasskey);
    },
    async recordPasskeyUse(id, counter, usedAt) {
      q.passkeyUse.run(counter, usedAt, id);
    },
    async deletePasskey(userId, id) {
      return q.deletePasskey.run(id, userId).changes > 0;
    },
    async createIdentity(identity) {
      q.insertIdentity.run(identity);
    },
    async findIdentity(provider, subject) {
      const row = q.identity.get(provider, subject);
      return row && { provider: row.provider, subject: row.subject, userId: row.user_id, email: row.email, createdAt: row.created_at };
    },
    async createSession(session) {
      q.insertSession.run(session);
    },
    async findSession(idHash) {
      const r = q.sessionByHash.get(idHash);
      return r && { idHash: r.id_hash, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at };
    },
    async touchSession(idHash, lastSeenAt) {
      q.touchSession.run(lastSeenAt, idHash);
    },
    async deleteSession(idHash) {
      q.deleteSession.run(idHash);
    },
    async deleteUserSessions(userId, keepIdHash = '') {
      q.deleteUserSessions.run(userId, keepIdHash);
    },
    async deleteExpiredSessions(now, idleMs) {
      return q.deleteExpiredSessions.run(now, now - idleMs).changes;
    },
    async createApiKey(key, options = {}) {
      // IMMEDIATE: the write lock before the count, so another process cannot insert in between.
      return insertKeyUnderCap.immediate(key, options.maxPerUser ?? Number.POSITIVE_INFINITY);
    },
    async listApiKeys(userId) {
      return q.keysByUser.all(userId).map(
        (r): ApiKeyRecord => ({
          id: r.id,
          userId: r.user_id,
          name: r.name,
          start: r.key_start,
          end: r.key_end,
          expiresAt: r.expires_at,
          lastUsedAt: r.last_used_at,
          createdAt: r.created_at,
        }),
      );
    },
    async deleteApiKey(userId, keyId) {
      const deleted = deleteKeyAndRecord(keyId, userId);
      // Counted after the commit (a nested call commits with its caller's transaction, later:
      // counting early only makes watchers re-read sooner).
      if (deleted) ownRevocations++;
      return deleted;
    },
    async revocationsSince(revision) {
      return readRevocations(revision);
    },
    async deleteOldRevocations(before) {
      return q.oldRevocations.run(before).changes;
    },
    shared: path !== ':memory:',
    get open() {
      return db.open;
    },
    changeVersion() {
      // Both counters only grow, so their sum moves whenever either does.
      return q.dataVersion.get()! + ownRevocations;
    },
    ownRevocations: () => ownRevocations,
    keyIndexLeases: {
      renew: (id, leaseUntil, acked) => q.renewLease.get(id, leaseUntil, acked)!,
      ack: (id, revision) => void q.ackLease.run(revision, id),
      behind: (id, revision, now) => q.leasesBehind.get(id, revision, now)!,
      remove: (id) => void q.removeLease.run(id),
      prune: (before) => void q.pruneLeases.run(before),
    },
    async findApiKeyByHash(keyHash) {
      return q.keyOwner.get(keyHash);
    },
    async recordApiKeyUsage(usage) {
      if (usage.length) recordUsage(usage);
    },
    async apiKeyUsage(userId, sinceDay) {
      return q.usageSince.all(userId, sinceDay);
    },
    async close() {
      if (db.open) db.close();
    },
  };
  return store;
}
