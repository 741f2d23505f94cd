import { pendingIdentityFromJson, pendingPasskeyFromJson, pendingPasskeyToJson } from '../json-columns.js';
import type { AttemptRecord, PasskeyRecord, Store, UserRecord, VerificationRecord } from '../types.js';
import type { Db } from './db.js';

// Column names come back in camelCase (the client's `camel` transform), so most rows already are
// the records; only what SQL has no type for is converted here.

type AttemptRow = Omit<AttemptRecord, 'passkey' | 'identity'> & { passkey: string | null; identity: string | null };

function toAttempt({ passkey, identity, ...row }: AttemptRow): AttemptRecord {
  // Absent, not null, for password attempts: a record reads back as it was written.
  return {
    ...row,
    ...(passkey === null ? {} : { passkey: pendingPasskeyFromJson(passkey) }),
    ...(identity === null ? {} : { identity: pendingIdentityFromJson(identity) }),
  };
}

const toVerification = ({ payload, ...row }: VerificationRecord & { payload: string | null }): VerificationRecord => ({ ...row, ...(payload === null ? {} : { payload }) });

const toPasskey = (row: PasskeyRecord & { publicKey: Buffer }): PasskeyRecord => ({ ...row, publicKey: new Uint8Array(row.publicKey) });

const ATTEMPT = 'id, email, organization_id, purpose, password_hash, locale, redirect, binding_hash, passkey, identity, code_failures, status, created_at, expires_at';
const PASSKEY = 'id, credential_id, user_id, user_handle, public_key, counter, transports, device_type, backed_up, name, created_at, last_used_at';

type AccountQueries = Pick<
  Store,
  | 'createUser'
  | 'findUserByEmail'
  | 'findUserById'
  | 'setPassword'
  | 'createAttempt'
  | 'findAttempt'
  | 'newestOpenAttemptForBinding'
  | 'openAttempts'
  | 'recordCodeFailure'
  | 'setAttemptStatus'
  | 'extendAttempt'
  | 'closeOpenAttempts'
  | 'createVerification'
  | 'findVerification'
  | 'consumeVerification'
  | 'deleteVerifications'
  | 'deleteExpiredVerifications'
  | 'createPasskey'
  | 'findPasskeyByCredentialId'
  | 'listPasskeys'
  | 'recordPasskeyUse'
  | 'deletePasskey'
  | 'createIdentity'
  | 'findIdentity'
  | 'createSession'
  | 'findSession'
  | 'touchSession'
  | 'deleteSession'
  | 'deleteUserSessions'
  | 'deleteExpiredSessions'
>;

/** Users, sign-up attempts, single-use secrets, sessions, passkeys and identities on `sql` (the pool or a transaction). */
export function accountQueries(sql: Db): AccountQueries {
  // A fragment is part of one query: each query gets its own.
  const attemptColumns = () => sql.unsafe(ATTEMPT);
  const passkeyColumns = () => sql.unsafe(PASSKEY);
  return {
    async createUser(u) {
      await sql`INSERT INTO users (id, email, organization_id, password_hash, email_verified_at, created_at)
        VALUES (${u.id}, ${u.email}, ${u.organizationId}, ${u.passwordHash}, ${u.emailVerifiedAt}, ${u.createdAt})`;
    },
    async findUserByEmail(email) {
      const [row] = await sql<UserRecord[]>`SELECT id, email, organization_id, password_hash, email_verified_at, created_at FROM users WHERE email = ${email}`;
      return row;
    },
    async findUserById(id) {
      const [row] = await sql<UserRecord[]>`SELECT id, email, organization_id, password_hash, email_verified_at, created_at FROM users WHERE id = ${id}`;
      return row;
    },
    async setPassword(userId, passwordHash) {
      await sql`UPDATE users SET password_hash = ${passwordHash} WHERE id = ${userId}`;
    },

    async createAttempt(a) {
      await sql`INSERT INTO signup_attempts (${attemptColumns()}) VALUES (${a.id}, ${a.email}, ${a.organizationId}, ${a.purpose}, ${a.passwordHash}, ${a.locale}, ${a.redirect},
        ${a.bindingHash}, ${a.passkey ? pendingPasskeyToJson(a.passkey) : null}, ${a.identity ? JSON.stringify(a.identity) : null}, ${a.codeFailures}, ${a.status}, ${a.createdAt}, ${a.expiresAt})`;
    },
    async findAttempt(id) {
      const [row] = await sql<AttemptRow[]>`SELECT ${attemptColumns()} FROM signup_attempts WHERE id = ${id}`;
      return row && toAttempt(row);
    },
    async newestOpenAttemptForBinding(bindingHash) {
      const [row] = await sql<AttemptRow[]>`SELECT ${attemptColumns()} FROM signup_attempts WHERE binding_hash = ${bindingHash} AND status = 'open'
        ORDER BY created_at DESC, id DESC LIMIT 1`;
      return row && toAttempt(row);
    },
    async openAttempts(email, now, limit) {
      const rows = await sql<AttemptRow[]>`SELECT ${attemptColumns()} FROM signup_attempts WHERE email = ${email} AND status = 'open' AND expires_at > ${now}
        ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
      return rows.map(toAttempt);
    },
    async recordCodeFailure(attemptId, max) {
      const [row] = await sql<{ codeFailures: number }[]>`UPDATE signup_attempts SET code_failures = code_failures + 1,
        status = CASE WHEN code_failures + 1 >= ${max} THEN 'closed' ELSE status END WHERE id = ${attemptId} RETURNING code_failures`;
      return row?.codeFailures ?? max;
    },
    async setAttemptStatus(attemptId, status) {
      await sql`UPDATE signup_attempts SET status = ${status} WHERE id = ${attemptId}`;
    },
    async extendAttempt(attemptId, expiresAt) {
      await sql`UPDATE signup_attempts SET expires_at = ${expiresAt} WHERE id = ${attemptId}`;
    },
    async closeOpenAttempts(email, keepId = '') {
      await sql`UPDATE signup_attempts SET status = 'closed' WHERE email = ${email} AND status = 'open' AND id <> ${keepId}`;
    },

    async createVerification(v) {
      await sql`INSERT INTO verifications (kind, secret_hash, subject, expires_at, created_at, payload)
        VALUES (${v.kind}, ${v.secretHash}, ${v.subject}, ${v.expiresAt}, ${v.createdAt}, ${v.payload ?? null})`;
    },
    async findVerification(kind, secretHash) {
      const [row] = await sql<(VerificationRecord & { payload: string | null })[]>`SELECT kind, secret_hash, subject, expires_at, created_at, payload
        FROM verifications WHERE kind = ${kind} AND secret_hash = ${secretHash}`;
      return row && toVerification(row);
    },
    async consumeVerification(kind, secretHash, now) {
      // One statement: of two simultaneous uses, only one deletes the row and gets it back.
      const [row] = await sql<(VerificationRecord & { payload: string | null })[]>`DELETE FROM verifications WHERE kind = ${kind} AND secret_hash = ${secretHash}
        RETURNING kind, secret_hash, subject, expires_at, created_at, payload`;
      if (!row) return { status: 'invalid' };
      return row.expiresAt <= now ? { status: 'expired' } : { status: 'consumed', verification: toVerification(row) };
    },
    async deleteVerifications(subject, kinds) {
      await sql`DELETE FROM verifications WHERE subject = ${subject} AND kind = ANY(${sql.array([...kinds])}::text[])`;
    },
    async deleteExpiredVerifications(before) {
      const secrets = await sql`DELETE FROM verifications WHERE expires_at <= ${before}`;
      const attempts = await sql`DELETE FROM signup_attempts WHERE expires_at <= ${before}`;
      return secrets.count + attempts.count;
    },

    async createPasskey(p) {
      await sql`INSERT INTO passkeys (${passkeyColumns()}) VALUES (${p.id}, ${p.credentialId}, ${p.userId}, ${p.userHandle}, ${Buffer.from(p.publicKey)}, ${p.counter},
        ${sql.array(p.transports)}::text[], ${p.deviceType}, ${p.backedUp}, ${p.name}, ${p.createdAt}, ${p.lastUsedAt})`;
    },
    async findPasskeyByCredentialId(credentialId) {
      const [row] = await sql<(PasskeyRecord & { publicKey: Buffer })[]>`SELECT ${passkeyColumns()} FROM passkeys WHERE credential_id = ${credentialId}`;
      return row && toPasskey(row);
    },
    async listPasskeys(userId) {
      const rows = await sql<(PasskeyRecord & { publicKey: Buffer })[]>`SELECT ${passkeyColumns()} FROM passkeys WHERE user_id = ${userId} ORDER BY created_at, seq`;
      return rows.map(toPasskey);
    },
    async recordPasskeyUse(id, counter, usedAt) {
      await sql`UPDATE passkeys SET counter = ${counter}, last_used_at = ${usedAt} WHERE id = ${id}`;
    },
    async deletePasskey(userId, id) {
      return (await sql`DELETE FROM passkeys WHERE id = ${id} AND user_id = ${userId}`).count > 0;
    },

    async createIdentity(i) {
      await sql`INSERT INTO identities (provider, subject, user_id, email, created_at) VALUES (${i.provider}, ${i.subject}, ${i.userId}, ${i.email}, ${i.createdAt})`;
    },
    async findIdentity(provider, subject) {
      const [row] = await sql`SELECT provider, subject, user_id, email, created_at FROM identities WHERE provider = ${provider} AND subject = ${subject}`;
      return row && { provider: row.provider, subject: row.subject, userId: row.userId, email: row.email, createdAt: row.createdAt };
    },

    async createSession(s) {
      await sql`INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (${s.idHash}, ${s.userId}, ${s.createdAt}, ${s.lastSeenAt}, ${s.expiresAt})`;
    },
    async findSession(idHash) {
      const [row] = await sql`SELECT id_hash, user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ${idHash}`;
      return row && { idHash: row.idHash, userId: row.userId, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt };
    },
    async touchSession(idHash, lastSeenAt) {
      await sql`UPDATE sessions SET last_seen_at = ${lastSeenAt} WHERE id_hash = ${idHash}`;
    },
    async deleteSession(idHash) {
      await sql`DELETE FROM sessions WHERE id_hash = ${idHash}`;
    },
    async deleteUserSessions(userId, keepIdHash = '') {
      await sql`DELETE FROM sessions WHERE user_id = ${userId} AND id_hash <> ${keepIdHash}`;
    },
    async deleteExpiredSessions(now, idleMs) {
      return (await sql`DELETE FROM sessions WHERE expires_at <= ${now} OR last_seen_at <= ${now - idleMs}`).count;
    },
  };
}
