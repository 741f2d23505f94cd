import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { z } from 'zod';
import type { ApiKey } from '../../server/schemas.js';
import type { Store } from '../../server/store/types.js';
import type { Harness } from './helpers.js';

export const SECRET_PATTERN = /^pak-[0-9a-f]{32}$/;

/** A key as the server answers it, typed from the schema the route validates its answer against. */
export type KeyJson = z.infer<typeof ApiKey>;

/** Creates a key through the API as the harness's signed-in user. */
export async function createKey(h: Harness, body: Record<string, unknown> = { name: 'Test key' }): Promise<{ key: KeyJson; secret: string }> {
  const response = await h.call('POST', '/api/keys', body);
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { key: KeyJson; secret: string };
}

export async function listKeys(h: Harness): Promise<KeyJson[]> {
  const response = await h.call('GET', '/api/keys');
  expect(response.status).toBe(200);
  return ((await response.json()) as { keys: KeyJson[] }).keys;
}

/** A key-authenticated request, without the harness's cookie, from `address` when given. */
export function v1(h: Harness, path: string, headers: Record<string, string>, address?: string): Promise<Response> {
  const env = address ? { incoming: { socket: { remoteAddress: address } } } : undefined;
  return Promise.resolve(h.app.request(path, { headers }, env));
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** Counts calls to one store method while still calling it. */
export function countCalls<K extends keyof Store>(store: Store, method: K): { calls: number; args: Parameters<Store[K]>[] } {
  const counter = { calls: 0, args: [] as Parameters<Store[K]>[] };
  const original = store[method] as (...args: unknown[]) => unknown;
  (store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
    counter.calls += 1;
    counter.args.push(args as Parameters<Store[K]>);
    return original.apply(store, args);
  };
  return counter;
}

/**
 * A second connection to the harness's database that sees what the server's connection commits:
 * `dataVersion()` changes whenever another connection commits a write, and triggers log every
 * row written to the API key tables, whoever writes it.
 */
export function watchDatabase(dbPath: string) {
  const db = new Database(dbPath);
  db.exec(`
    CREATE TABLE IF NOT EXISTS test_row_writes (tbl TEXT NOT NULL, op TEXT NOT NULL, key_id TEXT);
    CREATE TRIGGER IF NOT EXISTS test_keys_update AFTER UPDATE ON api_keys BEGIN INSERT INTO test_row_writes VALUES ('api_keys', 'update', new.id); END;
    CREATE TRIGGER IF NOT EXISTS test_usage_insert AFTER INSERT ON api_key_usage BEGIN INSERT INTO test_row_writes VALUES ('api_key_usage', 'insert', new.key_id); END;
    CREATE TRIGGER IF NOT EXISTS test_usage_update AFTER UPDATE ON api_key_usage BEGIN INSERT INTO test_row_writes VALUES ('api_key_usage', 'update', new.key_id); END;
  `);
  return {
    db,
    dataVersion: () => db.pragma('data_version', { simple: true }) as number,
    writes: () => db.prepare<[], { tbl: string; op: string; key_id: string }>('SELECT tbl, op, key_id FROM test_row_writes').all(),
    clearWrites: () => void db.exec('DELETE FROM test_row_writes'),
    usageRows: () => db.prepare<[], { key_id: string; day: string; count: number }>('SELECT key_id, day, count FROM api_key_usage ORDER BY key_id, day').all(),
    close: () => db.close(),
  };
}
