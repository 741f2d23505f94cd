/**
 * The SQLite revocation watch's lease protocol (server/api-keys/revocation/sqlite.ts), on real
 * files with two connections: the request path asks SQLite nothing, a deletion waits for every
 * live lease that has not applied it and for no lease that has ended, and trust ends with the
 * lease. The end-to-end proofs with server processes are in revocation.sqlite.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexKeyOf } from '../../../server/api-keys/key-index.js';
import { SqliteRevocationWatch } from '../../../server/api-keys/revocation/sqlite.js';
import { displayParts, generateApiKeySecret, hashApiKeySecret } from '../../../server/auth/api-key-secret.js';
import { type ApiKeyVariables, requireApiKey } from '../../../server/auth/require-api-key.js';
import { openSqliteStore, type SqliteStore } from '../../../server/store/sqlite/store.js';
import { countCalls } from '../api-keys.helpers.js';
import { seedAccount } from './cluster.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const quiet = { log: () => {} };

describe('the SQLite lease protocol', () => {
  let dir: string;
  let path: string;
  let stores: SqliteStore[];
  let watches: SqliteRevocationWatch[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perso-lease-'));
    path = join(dir, 'perso.db');
    stores = [];
    watches = [];
  });
  afterEach(async () => {
    for (const w of watches) await w.stop();
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    const store = openSqliteStore(path);
    stores.push(store);
    return store;
  };
  const watch = (store: SqliteStore, options: ConstructorParameters<typeof SqliteRevocationWatch>[1] = {}) => {
    const w = new SqliteRevocationWatch(store, { ...quiet, ...options });
    watches.push(w);
    return w;
  };
  const newKey = async (store: SqliteStore, userId: string) => {
    const secret = generateApiKeySecret();
    const id = randomUUID();
    await store.createApiKey({ id, userId, name: 'k', keyHash: hashApiKeySecret(secret), ...displayParts(secret), expiresAt: null, createdAt: Date.now() });
    return { id, secret };
  };
  const leaseRows = (store: SqliteStore) => store.keyIndexLeases.behind('nobody', Number.MAX_SAFE_INTEGER, 0);

  it('answers known keys with no SQLite call at all on the request path', async () => {
    const store = open();
    const { userId } = await seedAccount(store);
    const { secret } = await newKey(store, userId);
    const verifiedKeys = watch(store);
    await verifiedKeys.start();
    const app = new Hono<{ Variables: ApiKeyVariables }>().use('/v1/*', requireApiKey({ store, verifiedKeys })).get('/v1/whoami', (c) => c.text(c.get('apiKey').keyId));
    const call = async () => (await app.request('/v1/whoami', { headers: { authorization: `Bearer ${secret}` } })).status;
    expect(await call()).toBe(200); // the first use reads the database and fills the index

    const reads = countCalls(store, 'findApiKeyByHash');
    const original = store.changeVersion;
    let versionReads = 0;
    (store as { changeVersion: () => number }).changeVersion = () => (versionReads++, original());
    const started = performance.now();
    for (let i = 0; i < 200; i++) expect(await call()).toBe(200);
    const elapsedMs = performance.now() - started;
    expect(reads.calls).toBe(0);
    // Only the 5 ms poll asks, whatever the number of requests.
    expect(versionReads).toBeLessThanOrEqual(Math.ceil(elapsedMs / 5) + 2);
    expect(versionReads).toBeLessThan(200);
  });

  it('a deletion waits for a live lease that has not applied it, and not past the lease', async () => {
    const store = open();
    const { userId } = await seedAccount(store);
    const { id } = await newKey(store, userId);
    const deleter = watch(store);
    await deleter.start();
    // Another process that renewed its lease 0.6 s long and then stopped answering.
    store.keyIndexLeases.renew('stalled', Date.now() + 600, 0);

    expect(await store.deleteApiKey(userId, id)).toBe(true);
    const started = performance.now();
    await deleter.settle();
    const waitedMs = performance.now() - started;
    expect(waitedMs).toBeGreaterThan(400);
    expect(waitedMs).toBeLessThan(2_000);

    // With the lease ended, the next deletion does not wait for it at all.
    const second = await newKey(store, userId);
    await store.deleteApiKey(userId, second.id);
    const again = performance.now();
    await deleter.settle();
    expect(performance.now() - again).toBeLessThan(100);
  });

  it("a deletion answers as soon as the other process's poll has applied it", async () => {
    const a = open();
    const b = open();
    const { userId } = await seedAccount(a);
    const { id, secret } = await newKey(a, userId);
    const deleter = watch(a);
    const other = watch(b);
    await Promise.all([deleter.start(), other.start()]);
    const indexKey = indexKeyOf(secret);
    other.remember(indexKey, (await b.findApiKeyByHash(hashApiKeySecret(secret)))!, other.index.epoch);
    expect(other.lookup(indexKey)?.keyId).toBe(id);

    await a.deleteApiKey(userId, id);
    const started = performance.now();
    await deleter.settle();
    expect(performance.now() - started).toBeLessThan(500);
    // Settled means applied there: the other connection's index no longer holds the key.
    expect(other.lookup(indexKey)).toBeUndefined();
  });

  it('trusts its index only while its lease is fresh, and gives the lease back when stopped', async () => {
    const store = open();
    const w = watch(store, { leaseMs: 700, renewMs: 60_000 });
    await w.start();
    expect(w.trusted()).toBe(true);
    expect(leaseRows(store)).toBe(1);
    await sleep(300); // 700 ms less the 500 ms margin: trust has ended, and no renewal came
    expect(w.trusted()).toBe(false);

    await w.stop();
    expect(leaseRows(store)).toBe(0);
    expect(w.trusted()).toBe(false);
  });

  it('stops by itself when its store is closed under it', async () => {
    const store = open();
    const w = watch(store, { renewMs: 20 });
    await w.start();
    await store.close();
    await sleep(60);
    expect(w.trusted()).toBe(false);
  });

  it('an in-memory store holds no lease: nothing else can open it', async () => {
    const store = openSqliteStore(':memory:');
    stores.push(store);
    const w = watch(store);
    await w.start();
    expect(w.trusted()).toBe(true);
    expect(leaseRows(store)).toBe(0);
  });

  it('a key deleted through the same store object without settle() is not answered from the index', async () => {
    const store = open();
    const { userId } = await seedAccount(store);
    const { id, secret } = await newKey(store, userId);
    const w = watch(store);
    await w.start();
    const indexKey = indexKeyOf(secret);
    w.remember(indexKey, (await store.findApiKeyByHash(hashApiKeySecret(secret)))!, w.index.epoch);
    await store.deleteApiKey(userId, id);
    expect(w.lookup(indexKey)).toBeUndefined();
  });
});
