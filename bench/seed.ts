/**
 * Fills a fresh database file with users and API keys straight through better-sqlite3: the
 * store's schema (its migrations run first), but one transaction of prepared inserts, so a
 * million keys take seconds rather than the hours one HTTP call per key would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { displayParts, hashApiKeySecret } from '../server/auth/api-key-secret.js';
import { openSqliteStore } from '../server/store/sqlite/store.js';

export interface SeedResult {
  path: string;
  users: number;
  keys: number;
  /** Secrets of `sample` keys spread evenly over the table, each from a different user when possible. */
  secrets: string[];
  seconds: number;
}

const TABLES = ['users', 'verifications', 'sessions', 'api_keys', 'api_key_usage', 'key_revocations', 'key_index_instances'];

export async function seedDatabase(path: string, options: { users: number; keys: number; sample: number }): Promise<SeedResult> {
  const started = performance.now();
  await (openSqliteStore(path)).close();

  const db = new Database(path);
  // Nothing to protect while seeding a throwaway file; WAL again at the end, as the server runs it.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  const insertUser = db.prepare(
    'INSERT INTO users (id, email, organization_id, password_hash, email_verified_at, created_at) VALUES (?, ?, ?, NULL, ?, ?)',
  );
  const insertKey = db.prepare(
    'INSERT INTO api_keys (id, user_id, name, key_hash, key_start, key_end, expires_at, last_used_at, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?)',
  );
  const since = Date.parse('2026-01-01T00:00:00Z');
  const userIds = Array.from({ length: options.users }, () => randomUUID());
  const sampleEvery = options.keys / options.sample;
  const secrets: string[] = [];
  let random = Buffer.alloc(0);

  db.transaction(() => {
    userIds.forEach((id, i) => insertUser.run(id, `user${i}@bench.example`, 'default', since, since));
    for (let i = 0; i < options.keys; i++) {
      if (i % 65_536 === 0) random = randomBytes(16 * 65_536);
      const slot = i % 65_536;
      const secret = `pak-${random.toString('hex', slot * 16, slot * 16 + 16)}`;
      const { start, end } = displayParts(secret);
      // Each user owns a run of consecutive keys, so evenly spread samples belong to different users.
      insertKey.run(randomUUID(), userIds[Math.floor((i * options.users) / options.keys)], `key ${i}`, hashApiKeySecret(secret), start, end, since + i);
      if (secrets.length < options.sample && i >= Math.floor(secrets.length * sampleEvery + sampleEvery / 2)) secrets.push(secret);
    }
  })();
  db.pragma('journal_mode = WAL');
  db.close();
  return { path, users: options.users, keys: options.keys, secrets, seconds: (performance.now() - started) / 1000 };
}

/**
 * Triggers that log every row the server inserts, updates or deletes in any of its tables, with
 * the time. Installed after seeding, they count the server's writes with nothing added to it.
 */
export function installWriteCounter(path: string): void {
  const db = new Database(path);
  db.exec('CREATE TABLE bench_row_writes (tbl TEXT NOT NULL, op TEXT NOT NULL, at REAL NOT NULL)');
  for (const table of TABLES) {
    for (const op of ['insert', 'update', 'delete']) {
      db.exec(
        `CREATE TRIGGER bench_${table}_${op} AFTER ${op.toUpperCase()} ON ${table} BEGIN INSERT INTO bench_row_writes VALUES ('${table}', '${op}', unixepoch('subsec')); END`,
      );
    }
  }
  db.close();
}

/** Rows written within this many seconds of each other belong to one flush; flushes are 3 s apart. */
const SAME_TRANSACTION_S = 0.25;

/** What the server wrote, read after it has shut down (and so flushed). */
export function readWrites(path: string): { rowWrites: number; writeTransactions: number; byTable: Record<string, number>; usesRecorded: number } {
  const db = new Database(path);
  const rows = db.prepare<[], { tbl: string; op: string; n: number }>('SELECT tbl, op, count(*) AS n FROM bench_row_writes GROUP BY tbl, op').all();
  const times = db.prepare<[], { at: number }>('SELECT at FROM bench_row_writes ORDER BY at').all().map((r) => r.at);
  const usesRecorded = (db.prepare('SELECT coalesce(sum(count), 0) AS n FROM api_key_usage').get() as { n: number }).n;
  db.close();
  return {
    rowWrites: rows.reduce((sum, r) => sum + r.n, 0),
    writeTransactions: times.filter((at, i) => i === 0 || at - times[i - 1]! > SAME_TRANSACTION_S).length,
    byTable: Object.fromEntries(rows.map((r) => [`${r.tbl}.${r.op}`, r.n])),
    usesRecorded,
  };
}
