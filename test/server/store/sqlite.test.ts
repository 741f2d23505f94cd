import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../server/store/sqlite/migrations/index.js';
import { openSqliteStore } from '../../../server/store/sqlite/store.js';
import { storeContract } from '../store-contract.js';

storeContract('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'perso-store-'));
  const store = openSqliteStore(join(dir, 'perso.db'));
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

storeContract('SQLite :memory:', async () => {
  const store = openSqliteStore(':memory:');
  return { store, dispose: () => store.close() };
});

describe('SQLite specifics', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('creates missing folders, runs every migration once and uses WAL', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perso-store-'));
    const path = join(dir, 'nested', 'deeper', 'perso.db');
    const store = openSqliteStore(path);
    await store.createUser({ id: 'u1', email: 'ada@example.com', organizationId: 'default', passwordHash: null, emailVerifiedAt: null, createdAt: 1 });
    await store.close();
    expect(existsSync(path)).toBe(true);

    // Reopening applies nothing twice and keeps the data.
    const again = openSqliteStore(path);
    expect(await again.findUserById('u1')).toMatchObject({ email: 'ada@example.com' });
    await again.close();

    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(Math.max(...migrations.map((m) => m.version)));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['api_key_usage', 'api_keys', 'mail_queue', 'sessions', 'signup_attempts', 'users', 'verifications']));
      expect(tables).not.toContain('verification_tokens');
    } finally {
      db.close();
    }
  });

  it('numbers migrations 1, 2, 3… without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('deletes a user’s sessions with the user', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perso-store-'));
    const path = join(dir, 'perso.db');
    const store = openSqliteStore(path);
    await store.createUser({ id: 'u1', email: 'ada@example.com', organizationId: 'default', passwordHash: null, emailVerifiedAt: 1, createdAt: 1 });
    await store.createSession({ idHash: 's', userId: 'u1', createdAt: 1, lastSeenAt: 1, expiresAt: 2 });
    await store.close();
    const db = new Database(path);
    try {
      db.pragma('foreign_keys = ON');
      db.prepare("DELETE FROM users WHERE id = 'u1'").run();
      const counts = ['sessions'].map((t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
      expect(counts).toEqual([0]);
    } finally {
      db.close();
    }
  });
});
