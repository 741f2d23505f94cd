/**
 * Revocation across processes on one SQLite file (API.md §8): two server processes, plus an
 * integrator's `requireApiKey()` on its own connection. Each keeps verified keys in memory; a
 * key deleted through one must fail for every request that starts after the deletion's 204.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationWatch } from '../../../server/api-keys/revocation/watch.js';
import { type ApiKeyVariables, requireApiKey } from '../../../server/auth/require-api-key.js';
import { openSqliteStore, type SqliteStore } from '../../../server/store/sqlite/store.js';
import { countCalls } from '../api-keys.helpers.js';
import { createKeyThrough, deleteDuringStream, seedAccount, type ServerProcess, signIn, startServer, whoamiStatus } from './cluster.js';

/** The index with no revocation watch at all: the control showing the proof can fail. */
class BlindWatch extends RevocationWatch {
  override trusted() {
    return true;
  }
  override async settle() {}
}

const integratorApp = (store: SqliteStore, verifiedKeys?: RevocationWatch) =>
  new Hono<{ Variables: ApiKeyVariables }>().use('/v1/*', requireApiKey({ store, verifiedKeys })).get('/v1/whoami', (c) => c.json({ key: c.get('apiKey').keyId }));

const inProcess = (app: ReturnType<typeof integratorApp>, secret: string) => async () => {
  const response = await app.request('/v1/whoami', { headers: { authorization: `Bearer ${secret}` } });
  await response.arrayBuffer();
  return response.status;
};

describe('two server processes and an integrator on one SQLite file', () => {
  let dir: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let store: SqliteStore;
  let cookie: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perso-instances-'));
    const path = join(dir, 'perso.db');
    store = openSqliteStore(path);
    const account = await seedAccount(store);
    [a, b] = await Promise.all([startServer(path), startServer(path)]);
    cookie = await signIn(a.url, account);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const createKey = (name: string) => createKeyThrough(a.url, cookie, name);

  it('a key created through A works on B; deleted through A, no request to B that starts after the 204 is answered 200', async () => {
    const { key, secret } = await createKey('cross-process');
    expect(await whoamiStatus(b.url, secret)()).toBe(200);

    const run = await deleteDuringStream({ deleter: { url: a.url, cookie }, keyId: key.id, request: whoamiStatus(b.url, secret) });
    expect(run.deleteStatus).toBe(204);
    expect(run.errors).toEqual([]);
    expect(run.before.length).toBeGreaterThan(5);
    expect(run.before.every((s) => s.status === 200)).toBe(true);
    expect(run.after.length).toBeGreaterThan(5);
    expect(run.after.filter((s) => s.status === 200)).toEqual([]);
  }, 30_000);

  it("the integrator's requireApiKey() answers from memory, and still refuses every request after A's 204", async () => {
    const { key, secret } = await createKey('integrator');
    const app = integratorApp(store);
    const request = inProcess(app, secret);
    // The first requests of a process read the database while its watch catches up.
    for (let i = 0; i < 3; i++) expect(await request()).toBe(200);
    const reads = countCalls(store, 'findApiKeyByHash');
    for (let i = 0; i < 50; i++) expect(await request()).toBe(200);
    expect(reads.calls).toBe(0);

    const run = await deleteDuringStream({ deleter: { url: a.url, cookie }, keyId: key.id, request });
    expect(run.deleteStatus).toBe(204);
    expect(run.before.length).toBeGreaterThan(5);
    expect(run.after.length).toBeGreaterThan(5);
    expect(run.after.filter((s) => s.status === 200)).toEqual([]);
  }, 30_000);

  it('without the watch the same proof catches the stale answers (the measurement can fail)', async () => {
    const { key, secret } = await createKey('blind');
    const app = integratorApp(store, new BlindWatch(store));
    const run = await deleteDuringStream({ deleter: { url: a.url, cookie }, keyId: key.id, request: inProcess(app, secret) });
    expect(run.deleteStatus).toBe(204);
    expect(run.after.length).toBeGreaterThan(5);
    expect(run.after.every((s) => s.status === 200)).toBe(true);
  }, 30_000);
});
