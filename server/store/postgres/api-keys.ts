import type { ApiKeyOwner, ApiKeyRecord, KeyUsage, Store } from '../types.js';
import { atomically, type Db } from './db.js';

/**
 * The `/v1` key check: one lookup through the unique index on `key_hash`, then the owner by
 * primary key. Exported so a test can hold PostgreSQL's plan to that.
 */
export const API_KEY_OWNER_SQL = `SELECT k.id AS key_id, k.name AS key_name, k.expires_at, u.id AS user_id, u.email, u.organization_id
  FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1`;

type KeyQueries = Pick<Store, 'createApiKey' | 'listApiKeys' | 'deleteApiKey' | 'findApiKeyByHash' | 'recordApiKeyUsage' | 'apiKeyUsage' | 'revocationsSince' | 'deleteOldRevocations'>;

/** API keys, their usage and their revocations on `sql` (the pool or a transaction). */
export function apiKeyQueries(sql: Db): KeyQueries {
  return {
    async createApiKey(key, options = {}) {
      const insert = (db: Db) => db`INSERT INTO api_keys (id, user_id, name, key_hash, key_start, key_end, expires_at, created_at)
        VALUES (${key.id}, ${key.userId}, ${key.name}, ${key.keyHash}, ${key.start}, ${key.end}, ${key.expiresAt}, ${key.createdAt})`;
      const max = options.maxPerUser;
      if (max === undefined) {
        await insert(sql);
        return true;
      }
      return atomically(sql, async (tx) => {
        // The owner's row lock makes concurrent creations for one user (from any instance) count
        // one after the other; NO KEY UPDATE leaves sign-ins, which only reference the row, alone.
        await tx`SELECT 1 FROM users WHERE id = ${key.userId} FOR NO KEY UPDATE`;
        const [{ n }] = await tx<{ n: number }[]>`SELECT count(*) AS n FROM api_keys WHERE user_id = ${key.userId}`;
        if (n >= max) return false;
        await insert(tx);
        return true;
      });
    },
    async listApiKeys(userId) {
      return sql<ApiKeyRecord[]>`SELECT id, user_id, name, key_start AS start, key_end AS "end", expires_at, last_used_at, created_at
        FROM api_keys WHERE user_id = ${userId} ORDER BY created_at DESC, seq DESC`;
    },
    async deleteApiKey(userId, keyId) {
      // One statement, so one transaction: the key goes and its revocation is numbered together.
      // Taking the next number locks the counter row until commit (see migration 006).
      const revoked = await sql`
        WITH deleted AS (DELETE FROM api_keys WHERE id = ${keyId} AND user_id = ${userId} RETURNING key_hash),
        numbered AS (UPDATE key_revision SET revision = revision + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM deleted) RETURNING revision)
        INSERT INTO key_revocations (revision, key_hash, at) SELECT numbered.revision, deleted.key_hash, ${Date.now()} FROM numbered, deleted
        RETURNING revision`;
      return revoked.count > 0;
    },
    async findApiKeyByHash(keyHash) {
      const [row] = await sql.unsafe<ApiKeyOwner[]>(API_KEY_OWNER_SQL, [keyHash], { prepare: true });
      return row;
    },
    async recordApiKeyUsage(usage) {
      if (!usage.length) return;
      // Keys in one order in every instance, so that two flushes lock rows in the same order and
      // never deadlock; each key's row is locked before its usage rows are added to, so a
      // concurrent delete waits (or has already happened, and the use is skipped).
      const sorted = [...usage].sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
      await atomically(sql, async (tx) => {
        await Promise.all(sorted.flatMap((u) => writesOf(tx, u)));
      });
    },
    async apiKeyUsage(userId, sinceDay) {
      return sql<{ keyId: string; day: string; count: number }[]>`SELECT u.key_id, u.day, u.count FROM api_key_usage u JOIN api_keys k ON k.id = u.key_id
        WHERE k.user_id = ${userId} AND u.day >= ${sinceDay}`;
    },
    async revocationsSince(revision) {
      // One statement, one snapshot: the counter and the rows it counts are read together.
      const rows = await sql<{ newest: number; revision: number | null; keyHash: Buffer | null; userId: string | null }[]>`
        SELECT c.revision AS newest, r.revision, r.key_hash, r.user_id
        FROM key_revision c LEFT JOIN key_revocations r ON r.revision > ${revision} WHERE c.id = 1 ORDER BY r.revision`;
      return {
        revision: rows[0]?.newest ?? 0,
        keyHashes: rows.flatMap((r) => (r.keyHash ? [r.keyHash] : [])),
        userIds: rows.flatMap((r) => (r.userId ? [r.userId] : [])),
      };
    },
    async deleteOldRevocations(before) {
      return (await sql`DELETE FROM key_revocations WHERE at < ${before} AND revision < (SELECT max(revision) FROM key_revocations)`).count;
    },
  };
}

/** One key's share of a usage flush: the latest use, then a count added per day (never overwritten). */
function writesOf(tx: Db, u: KeyUsage) {
  return [
    // GREATEST ignores NULL: the first use sets it; an older batch landing late never moves it back.
    tx`UPDATE api_keys SET last_used_at = GREATEST(last_used_at, ${u.lastUsedAt}) WHERE id = ${u.keyId}`,
    ...[...u.days].map(
      ([day, count]) => tx`INSERT INTO api_key_usage (key_id, day, count) SELECT ${u.keyId}, ${day}, ${count} WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = ${u.keyId})
        ON CONFLICT (key_id, day) DO UPDATE SET count = api_key_usage.count + excluded.count`,
    ),
  ];
}
