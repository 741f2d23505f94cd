import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startServer } from '../../../bench/server-process.js';
import { hashApiKeySecret } from '../../../server/auth/api-key-secret.js';
import { API_KEY_OWNER_SQL } from '../../../server/store/postgres/api-keys.js';
import { migrations } from '../../../server/store/postgres/migrations/index.js';
import { openPostgresStore, type PostgresStore } from '../../../server/store/postgres/store.js';
import type { NewApiKey, UserRecord } from '../../../server/store/types.js';
import { storeContract } from '../store-contract.js';
import { createEmptyTestDatabase, createTestDatabase, type TestDatabase } from './test-stores.js';

storeContract('PostgreSQL', async () => {
  const database = await createTestDatabase();
  const store = await openPostgresStore(database.url, { max: 4 });
  return {
    store,
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
});

const T0 = Date.parse('2026-11-26T12:00:00Z');
const user = (email: string): UserRecord => ({ id: randomUUID(), email, organizationId: 'default', passwordHash: null, emailVerifiedAt: T0, createdAt: T0 });
const key = (userId: string, name = randomUUID()): NewApiKey => ({
  id: randomUUID(),
  userId,
  name,
  start: 'a1b2',
  end: '9f0e',
  keyHash: hashApiKeySecret(`pak-${name}`),
  expiresAt: null,
  createdAt: T0,
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Several instances of the server: one database, a store (its own pool) each. */
describe('PostgreSQL with several instances on one database', () => {
  let database: TestDatabase;
  const stores: PostgresStore[] = [];
  const instances = async (n: number, from?: TestDatabase) => {
    database = from ?? (await createTestDatabase());
    for (let i = 0; i < n; i++) stores.push(await openPostgresStore(database.url, { max: 4 }));
    return [...stores];
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await database?.drop();
  });

  it('migrates once when three start together on an empty database (advisory lock)', async () => {
    const empty = await createEmptyTestDatabase();
    database = empty;
    const opened = await Promise.all([1, 2, 3].map(() => openPostgresStore(empty.url, { max: 2 })));
    stores.push(...opened);
    const applied = await opened[0]!.sql<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`;
    expect(applied.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    // And each can use the schema.
    await Promise.all(opened.map((s, i) => s.createUser(user(`u${i}@example.com`))));
  });

  it('numbers migrations 1, 2, 3… without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('hands each due mail to one instance: claims from two are disjoint and together take all', async () => {
    const [a, b] = await instances(2);
    const ids = Array.from({ length: 60 }, (_, i) => `${String(i).padStart(3, '0')}`);
    for (const id of ids) await a!.enqueueMail({ id, to: 'ada@example.com', subject: 's', text: 't', html: 'h', links: [], createdAt: T0 });
    const drain = async (s: PostgresStore) => {
      const taken: string[] = [];
      for (let batch; (batch = await s.claimDueMail(T0, 3, 60_000)).length; ) taken.push(...batch.map((m) => m.id));
      return taken;
    };
    const [byA, byB] = await Promise.all([drain(a!), drain(b!)]);
    expect(byA.filter((id) => byB.includes(id))).toEqual([]);
    expect([...byA, ...byB].sort()).toEqual(ids);
  });

  it('skips a mail another instance is claiming instead of waiting for it (SKIP LOCKED)', async () => {
    const [a, b] = await instances(2);
    for (const id of ['001', '002']) await a!.enqueueMail({ id, to: 'ada@example.com', subject: 's', text: 't', html: 'h', links: [], createdAt: T0 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimedByA!: () => void;
    const aHoldsIt = new Promise<void>((resolve) => (claimedByA = resolve));
    // A claims the first mail and keeps its transaction, and so the row's lock, open.
    const claiming = a!.transaction(async (tx) => {
      const mine = await tx.claimDueMail(T0, 1, 60_000);
      claimedByA();
      await held;
      return mine;
    });
    await aHoldsIt;
    const started = Date.now();
    const theirs = await b!.claimDueMail(T0, 10, 60_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    release();
    expect((await claiming).map((m) => m.id)).toEqual(['001']);
    expect(theirs.map((m) => m.id)).toEqual(['002']);
  });

  it('keeps the per-user key cap under concurrent creations from two instances', async () => {
    const [a, b] = await instances(2);
    const ada = user('ada@example.com');
    await a!.createUser(ada);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a! : b!).createApiKey(key(ada.id), { maxPerUser: 10 })));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await a!.listApiKeys(ada.id)).toHaveLength(10);
  });

  it('adds up usage flushed by two instances at once: no lost update, latest use kept', async () => {
    const [a, b] = await instances(2);
    const ada = user('ada@example.com');
    await a!.createUser(ada);
    const keys = [key(ada.id), key(ada.id), key(ada.id)];
    for (const k of keys) await a!.createApiKey(k);
    // Each flush names the keys in another order: locks taken in one order never deadlock.
    const flush = (s: PostgresStore, i: number) =>
      s.recordApiKeyUsage((i % 2 ? keys : [...keys].reverse()).map((k) => ({ keyId: k.id, lastUsedAt: T0 + i, days: new Map([['2026-11-26', 1], ['2026-11-27', 2]]) })));
    await Promise.all(Array.from({ length: 40 }, (_, i) => flush(i % 2 ? a! : b!, i)));
    const usage = await b!.apiKeyUsage(ada.id, '2026-11-01');
    for (const k of keys) {
      expect(usage.filter((u) => u.keyId === k.id).sort((x, y) => x.day.localeCompare(y.day))).toEqual([
        { keyId: k.id, day: '2026-11-26', count: 40 },
        { keyId: k.id, day: '2026-11-27', count: 80 },
      ]);
    }
    expect((await a!.listApiKeys(ada.id)).map((k) => k.lastUsedAt)).toEqual([T0 + 39, T0 + 39, T0 + 39]);
  });

  it('commits revisions in order: a reader never sees a revision before every one below it', async () => {
    const [a, b, reader] = await instances(3);
    const ada = user('ada@example.com');
    await a!.createUser(ada);
    const keys = Array.from({ length: 60 }, () => key(ada.id));
    for (const k of keys) await a!.createApiKey(k);

    let done = false;
    const seen: Buffer[] = [];
    const read = (async () => {
      let revision = 0;
      while (!done || revision < keys.length) {
        const since = await reader!.revocationsSince(revision);
        // Every revision up to the newest is there: none was skipped for committing late.
        expect(since.keyHashes).toHaveLength(since.revision - revision);
        seen.push(...since.keyHashes);
        revision = since.revision;
      }
    })();
    await Promise.all(keys.map((k, i) => (i % 2 ? a! : b!).deleteApiKey(ada.id, k.id)));
    done = true;
    await read;
    expect(seen.map((h) => h.toString('hex')).sort()).toEqual(keys.map((k) => k.keyHash.toString('hex')).sort());
  });

  it('finds a key through the unique index on key_hash: the plan never scans api_keys', async () => {
    const [a] = await instances(1);
    const ada = user('ada@example.com');
    await a!.createUser(ada);
    await a!.sql`INSERT INTO api_keys (id, user_id, name, key_hash, key_start, key_end, created_at)
      SELECT gen_random_uuid()::text, ${ada.id}, 'k', sha256(g::text::bytea), 'a1b2', '9f0e', ${T0} FROM generate_series(1, 2000) g`;
    await a!.sql`ANALYZE`;
    const [row] = await a!.sql.unsafe(`EXPLAIN (FORMAT JSON) ${API_KEY_OWNER_SQL}`, [Buffer.alloc(32)]);
    const [{ Plan: root }] = Object.values(row!)[0] as [{ Plan: PlanNode }];
    const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
    const onKeys = nodes(root).filter((n) => n['Relation Name'] === 'api_keys');
    expect(onKeys.map((n) => [n['Node Type'], n['Index Name']])).toEqual([[expect.stringMatching(/^Index (Only )?Scan$/), 'api_keys_key_hash_key']]);
  });
});

describe('server/main.ts with DATABASE_URL', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it('serves from PostgreSQL, and on SIGTERM closes cleanly with its writes committed', async () => {
    database = await createTestDatabase();
    const server = await startServer('unused.db', { DATABASE_URL: database.url });
    try {
      await expect.poll(() => server.output()).toContain('database: PostgreSQL postgres://');
      const signup = await fetch(`${server.url}/api/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
      });
      expect(signup.status).toBe(202);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const store = await openPostgresStore(database.url, { max: 1 });
    try {
      expect(await store.openAttempts('ada@example.com', Date.now(), 5)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('stops with exit code 1 and a message naming DATABASE_URL when the database cannot be reached', async () => {
    const nobodyListens = await freePort();
    await expect(startServer('unused.db', { DATABASE_URL: `postgres://nobody@127.0.0.1:${nobodyListens}/perso` })).rejects.toThrow(/exited \(1\)[\s\S]*DATABASE_URL/);
  });
});
