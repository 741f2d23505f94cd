import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations/index.js';
import type { ApiKeyOwner, ApiKeyRecord, KeyUsage, NewApiKey, Store, UserRecord } from './types.js';

interface UserRow {
  id: string;
  email: string;
  organization_id: string;
  password_hash: string | null;
  email_verified_at: number | null;
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
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') createPrivately(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // The key table can hold millions of rows: map the file so hot index pages cost no read() call.
  db.pragma('mmap_size = 268435456');
  migrate(db);

  const q = {
    insertUser: db.prepare(
      'INSERT INTO users (id, email, organization_id, password_hash, email_verified_at, created_at) VALUES (@id, @email, @organizationId, @passwordHash, @emailVerifiedAt, @createdAt)',
    ),
    userByEmail: db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?'),
    userById: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    insertToken: db.prepare(
      'INSERT INTO verification_tokens (token_hash, user_id, password_hash, redirect, expires_at, created_at) VALUES (@tokenHash, @userId, @passwordHash, @redirect, @expiresAt, @createdAt)',
    ),
    tokenByHash: db.prepare<[string], { user_id: string; password_hash: string | null; redirect: string | null; expires_at: number; used_at: number | null }>(
      'SELECT user_id, password_hash, redirect, expires_at, used_at FROM verification_tokens WHERE token_hash = ?',
    ),
    pendingSignUp: db.prepare<[string], { password_hash: string | null; redirect: string | null }>(
      'SELECT password_hash, redirect FROM verification_tokens WHERE user_id = ? AND used_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1',
    ),
    useUserTokens: db.prepare('UPDATE verification_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL'),
    verifyUser: db.prepare(
      'UPDATE users SET email_verified_at = coalesce(email_verified_at, @now), password_hash = coalesce(@passwordHash, password_hash) WHERE id = @userId',
    ),
    insertSession: db.prepare(
      'INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (@idHash, @userId, @createdAt, @lastSeenAt, @expiresAt)',
    ),
    sessionByHash: db.prepare<[string], { id_hash: string; user_id: string; created_at: number; last_seen_at: number; expires_at: number }>(
      'SELECT * FROM sessions WHERE id_hash = ?',
    ),
    touchSession: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?'),
    deleteSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
    deleteExpiredSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?'),
    insertKey: db.prepare(
      'INSERT INTO api_keys (id, user_id, name, key_hash, key_start, key_end, expires_at, created_at) VALUES (@id, @userId, @name, @keyHash, @start, @end, @expiresAt, @createdAt)',
    ),
    keysByUser: db.prepare<[string], { id: string; user_id: string; name: string; key_start: string; key_end: string; expires_at: number | null; last_used_at: number | null; created_at: number }>(
      'SELECT id, user_id, name, key_start, key_end, expires_at, last_used_at, created_at FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, rowid DESC',
    ),
    countKeys: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM api_keys WHERE user_id = ?'),
    deleteKey: db.prepare('DELETE FROM api_keys WHERE id = ? AND user_id = ?'),
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

  const consume = db.transaction((tokenHash: string, now: number) => {
    const token = q.tokenByHash.get(tokenHash);
    if (!token || token.used_at !== null) return { status: 'invalid' as const };
    if (token.expires_at <= now) return { status: 'expired' as const };
    q.verifyUser.run({ now, passwordHash: token.password_hash, userId: token.user_id });
    // Verifying the email ends every other pending link for the account, including a stranger's.
    q.useUserTokens.run(now, token.user_id);
    return { status: 'verified' as const, user: toUser(q.userById.get(token.user_id)!), redirect: token.redirect };
  });

  const insertKeyUnderCap = db.transaction((key: NewApiKey, maxPerUser: number) => {
    if (q.countKeys.get(key.userId)!.n >= maxPerUser) return false;
    q.insertKey.run(key);
    return true;
  });

  const recordUsage = db.transaction((usage: readonly KeyUsage[]) => {
    for (const u of usage) {
      q.keyLastUsed.run(u.lastUsedAt, u.keyId);
      for (const [day, count] of u.days) q.keyUsageDay.run({ keyId: u.keyId, day, count });
    }
  });

  return {
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
    async createVerificationToken(token) {
      q.insertToken.run(token);
    },
    async pendingSignUp(userId) {
      const row = q.pendingSignUp.get(userId);
      return row && { passwordHash: row.password_hash, redirect: row.redirect };
    },
    async consumeVerificationToken(tokenHash, now) {
      return consume(tokenHash, now);
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
      return q.deleteKey.run(keyId, userId).changes > 0;
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
}
