import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateApiKeySecret, hashApiKeySecret } from '../../server/auth/api-key-secret.js';
import { USAGE_FLUSH_MS, UsageRecorder, utcDay } from '../../server/auth/usage-recorder.js';
import { openSqliteStore } from '../../server/store/sqlite/store.js';
import type { KeyUsage, Store } from '../../server/store/types.js';
import { bearer, countCalls, createKey, listKeys, v1, watchDatabase } from './api-keys.helpers.js';
import { createHarness, type Harness, TestClock } from './helpers.js';

const HOUR = 3_600_000;

describe('utcDay', () => {
  it('is the UTC calendar day, whatever the local time zone', () => {
    expect(utcDay(Date.parse('2026-11-26T23:59:59.999Z'))).toBe('2026-11-26');
    expect(utcDay(Date.parse('2026-11-27T00:00:00.000Z'))).toBe('2026-11-27');
    expect(utcDay(Date.parse('2026-11-27T01:00:00+02:00'))).toBe('2026-11-26');
  });
});

describe('UsageRecorder with the SQLite store', () => {
  let h: Harness;
  let watcher: ReturnType<typeof watchDatabase>;
  beforeEach(async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com');
    watcher = watchDatabase(h.dbPath);
  });
  afterEach(async () => {
    vi.useRealTimers();
    watcher.close();
    await h.close();
  });

  const use = async (secret: string, times = 1) => {
    for (let i = 0; i < times; i++) expect((await v1(h, '/v1/whoami', bearer(secret))).status).toBe(200);
  };

  it('coalesces N uses of a key into one lastUsedAt write and one count per day, in one batch', async () => {
    const { key, secret } = await createKey(h);
    const batches = countCalls(h.store, 'recordApiKeyUsage');
    await use(secret, 3);
    h.clock.advance(1500);
    await use(secret, 37);
    const lastUse = h.clock.ms;
    await h.usage.flush();

    expect(batches.calls).toBe(1);
    expect(batches.args[0]![0]).toEqual([{ keyId: key.id, lastUsedAt: lastUse, days: new Map([['2026-11-26', 40]]) }]);
    expect(watcher.writes()).toEqual([
      { tbl: 'api_keys', op: 'update', key_id: key.id },
      { tbl: 'api_key_usage', op: 'insert', key_id: key.id },
    ]);
    expect(watcher.usageRows()).toEqual([{ key_id: key.id, day: '2026-11-26', count: 40 }]);
    expect((await listKeys(h))[0]!.lastUsedAt).toBe(new Date(lastUse).toISOString());

    // The next flush adds to the day's count: still one row write per key and day.
    watcher.clearWrites();
    await use(secret, 10);
    await h.usage.flush();
    expect(watcher.writes()).toEqual([
      { tbl: 'api_keys', op: 'update', key_id: key.id },
      { tbl: 'api_key_usage', op: 'update', key_id: key.id },
    ]);
    expect(watcher.usageRows()).toEqual([{ key_id: key.id, day: '2026-11-26', count: 50 }]);
  });

  it('writes each key once per flush however many keys are busy, and splits counts at UTC midnight', async () => {
    h.clock.ms = Date.parse('2026-11-26T23:59:00Z');
    const keys = await Promise.all([createKey(h, { name: 'a' }), createKey(h, { name: 'b' }), createKey(h, { name: 'c' })]);
    for (const [i, { secret }] of keys.entries()) await use(secret, i + 1);
    h.clock.advance(2 * 60_000); // 00:01 the next UTC day
    await use(keys[0]!.secret, 4);
    await h.usage.flush();

    const writes = watcher.writes();
    expect(writes.filter((w) => w.tbl === 'api_keys')).toHaveLength(3);
    expect(new Set(writes.filter((w) => w.tbl === 'api_keys').map((w) => w.key_id)).size).toBe(3);
    expect(writes.filter((w) => w.tbl === 'api_key_usage')).toHaveLength(4);
    const [a, b, c] = keys.map((k) => k.key.id);
    expect(watcher.usageRows()).toEqual(
      [
        { key_id: a, day: '2026-11-26', count: 1 },
        { key_id: a, day: '2026-11-27', count: 4 },
        { key_id: b, day: '2026-11-26', count: 2 },
        { key_id: c, day: '2026-11-26', count: 3 },
      ].sort((x, y) => x.key_id!.localeCompare(y.key_id!) || x.day.localeCompare(y.day)),
    );
  });

  it('does nothing when nothing was used', async () => {
    const batches = countCalls(h.store, 'recordApiKeyUsage');
    const before = watcher.dataVersion();
    await h.usage.flush();
    await h.usage.flush();
    expect(batches.calls).toBe(0);
    expect(watcher.dataVersion()).toBe(before);
  });

  it('keeps uses counted while a flush is running for the next flush', async () => {
    const { key, secret } = await createKey(h);
    await use(secret, 2);
    const first = h.usage.flush();
    await use(secret, 3); // counted after the first batch was taken
    const second = h.usage.flush();
    await Promise.all([first, second]);
    expect(watcher.usageRows()).toEqual([{ key_id: key.id, day: '2026-11-26', count: 5 }]);
  });

  it('skips a key deleted before the flush and still records the others', async () => {
    const gone = await createKey(h, { name: 'gone' });
    const kept = await createKey(h, { name: 'kept' });
    await use(gone.secret, 2);
    await use(kept.secret, 1);
    expect((await h.call('DELETE', `/api/keys/${gone.key.id}`)).status).toBe(204);
    await h.usage.flush();
    expect(watcher.usageRows()).toEqual([{ key_id: kept.key.id, day: '2026-11-26', count: 1 }]);
    expect((await listKeys(h)).map((k) => [k.name, k.lastUsedAt])).toEqual([['kept', new Date(h.clock.ms).toISOString()]]);
  });

  it('never moves lastUsedAt backwards', async () => {
    const { key } = await createKey(h);
    const later = h.clock.ms + HOUR;
    await h.store.recordApiKeyUsage([{ keyId: key.id, lastUsedAt: later, days: new Map() }]);
    await h.store.recordApiKeyUsage([{ keyId: key.id, lastUsedAt: later - 1000, days: new Map() }]);
    expect((await listKeys(h))[0]!.lastUsedAt).toBe(new Date(later).toISOString());
  });

  it('keeps a failed batch for the next flush instead of losing it', async () => {
    const { key } = await createKey(h);
    const log = vi.fn();
    const recorder = new UsageRecorder(h.store, h.clock, log);
    const store = h.store;
    const original = store.recordApiKeyUsage;
    let failures = 1;
    store.recordApiKeyUsage = async (usage: readonly KeyUsage[]) => {
      if (failures-- > 0) throw new Error('database is locked');
      return original.call(store, usage);
    };
    recorder.record(key.id);
    recorder.record(key.id);
    await expect(recorder.flush()).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledOnce();
    expect(watcher.usageRows()).toEqual([]);
    recorder.record(key.id);
    await recorder.flush();
    expect(watcher.usageRows()).toEqual([{ key_id: key.id, day: '2026-11-26', count: 3 }]);
  });

  it('flushes every 3 s once started, so GET /api/keys shows lastUsedAt within 5 s', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    expect(USAGE_FLUSH_MS).toBe(3000);
    const { secret } = await createKey(h);
    h.usage.start();
    await use(secret);
    await vi.advanceTimersByTimeAsync(USAGE_FLUSH_MS - 1);
    expect((await listKeys(h))[0]!.lastUsedAt).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect((await listKeys(h))[0]!.lastUsedAt).toBe(new Date(h.clock.ms).toISOString());

    // stop() writes what is pending and ends the timer.
    await use(secret, 2);
    await h.usage.stop();
    expect(watcher.usageRows()[0]!.count).toBe(3);
    const batches = countCalls(h.store, 'recordApiKeyUsage');
    await use(secret);
    await vi.advanceTimersByTimeAsync(10 * USAGE_FLUSH_MS);
    expect(batches.calls).toBe(0);
  });
});

describe('UsageRecorder on its own', () => {
  it('hands the store one entry per key with the latest use and per-day counts', async () => {
    const clock = new TestClock(Date.parse('2026-03-01T23:00:00Z'));
    const batches: KeyUsage[][] = [];
    const store = { recordApiKeyUsage: async (u: readonly KeyUsage[]) => void batches.push([...u]) } as unknown as Store;
    const recorder = new UsageRecorder(store, clock);
    recorder.record('k1');
    recorder.record('k2');
    clock.advance(2 * HOUR);
    recorder.record('k1');
    await recorder.stop();
    expect(batches).toEqual([
      [
        { keyId: 'k1', lastUsedAt: clock.ms, days: new Map([['2026-03-01', 1], ['2026-03-02', 1]]) },
        { keyId: 'k2', lastUsedAt: clock.ms - 2 * HOUR, days: new Map([['2026-03-01', 1]]) },
      ],
    ]);
  });
});

describe('the real server', () => {
  const freePort = () =>
    new Promise<number>((resolve, reject) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });

  it('writes pending uses when it shuts down on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perso-usage-'));
    const dbPath = join(dir, 'perso.db');
    const secret = generateApiKeySecret();
    const seed = openSqliteStore(dbPath);
    await seed.createUser({ id: 'u1', email: 'ada@example.com', organizationId: 'default', passwordHash: null, emailVerifiedAt: 1, createdAt: 1 });
    await seed.createApiKey({ id: 'k1', userId: 'u1', name: 'k', start: secret.slice(4, 8), end: secret.slice(-4), expiresAt: null, createdAt: 1, keyHash: hashApiKeySecret(secret) });
    await seed.close();

    try {
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: { ...process.env, PERSO_PORT: String(port), PERSO_HOST: '127.0.0.1', PERSO_DB: dbPath, PERSO_DEMO: 'false', NODE_ENV: 'production', PERSO_CONFIG: '', SMTP_URL: '', DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (chunk: Buffer) => {
            output += chunk;
            if (output.includes('Perso server on')) resolve();
          });
          child.stderr.on('data', (chunk: Buffer) => (output += chunk));
          void exited.then(() => reject(new Error(`server exited:\n${output}`)));
        });
        const response = await fetch(`http://127.0.0.1:${port}/v1/whoami`, { headers: bearer(secret) });
        expect(response.status).toBe(200);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }

      const store = openSqliteStore(dbPath);
      const [key] = await store.listApiKeys('u1');
      expect(key!.lastUsedAt).toEqual(expect.any(Number));
      expect(await store.apiKeyUsage('u1', '2000-01-01')).toEqual([{ keyId: 'k1', day: utcDay(key!.lastUsedAt!), count: 1 }]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
