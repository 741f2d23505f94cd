import { setTimeout as sleep } from 'node:timers/promises';
import type postgres from 'postgres';
import type { Store } from '../types.js';
import { accountQueries } from './accounts.js';
import { apiKeyQueries } from './api-keys.js';
import type { Db } from './db.js';
import { mailQueries } from './mail.js';
import { migrate } from './migrate.js';

/** The store, and its pool for what only PostgreSQL offers (LISTEN/NOTIFY, the shared rate limiter). */
export type PostgresStore = Store & { readonly sql: postgres.Sql };

export interface PostgresStoreOptions {
  /** Most connections this instance opens (default 10). Every instance has its own pool. */
  max?: number;
  /** Apply pending migrations before answering (default true). */
  migrate?: boolean;
}

/** `bigint` columns (epoch ms, counts) as numbers rather than strings: none comes near 2^53. */
const bigintAsNumber: postgres.PostgresType<number> = { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) };

/** Serialization failures and deadlocks: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TRIES = 8;

/**
 * Connects to PostgreSQL (`postgres://…`), migrates, and returns the store. Connections open as
 * queries need them, up to `max`; `close()` ends them.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  // Loaded here, not imported at the top, so that `@perso/kit/server` works without the optional
  // `postgres` package for everyone on SQLite.
  const { default: postgres } = await import('postgres');
  const store = connectPostgresStore(postgres, url, options);
  try {
    if (options.migrate !== false) await migrate(store.sql);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * The store on a new pool, at once and without migrating: for callers that loaded `postgres`
 * themselves and know the schema is current (tests copying a migrated template database).
 */
export function connectPostgresStore(postgres: typeof import('postgres'), url: string, options: Pick<PostgresStoreOptions, 'max'> = {}): PostgresStore {
  const sql = postgres(url, {
    max: options.max ?? 10,
    types: { bigint: bigintAsNumber },
    transform: { ...postgres.camel, undefined: null },
    onnotice: () => {},
    connection: { application_name: 'perso' },
  });
  let closed: Promise<void> | undefined;
  return Object.assign(storeOn(sql), {
    sql,
    close: () => (closed ??= sql.end({ timeout: 5 })),
  });
}

function storeOn(db: Db): Store {
  return {
    ...accountQueries(db),
    ...apiKeyQueries(db),
    ...mailQueries(db),
    transaction: 'begin' in db ? (fn) => serializable(db, (tx) => fn(storeOn(tx))) : (fn) => db.savepoint((tx) => fn(storeOn(tx))) as never,
    async close() {
      throw new Error('close the store, not a transaction');
    },
  };
}

/**
 * SERIALIZABLE, so that a rule checked inside (the last passkey, an unused link) holds as it does
 * on SQLite, where transactions run one after the other: of two transactions that would each
 * break the other's check, PostgreSQL aborts one, and it runs again on what the other committed.
 * Hence `fn` may run more than once and must only act through the store it is given.
 */
async function serializable<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await sql.begin('isolation level serializable', fn)) as T;
    } catch (error) {
      if (attempt >= MAX_TRIES || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
      // Apart, so that the two do not collide again at once.
      await sleep(Math.random() * 5 * attempt);
    }
  }
}
