import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connectPostgresStore, type PostgresStore } from '../../../server/store/postgres/store.js';
import { openSqliteStore } from '../../../server/store/sqlite/store.js';
import type { Store } from '../../../server/store/types.js';
import { databaseUrl } from './postgres-cluster.js';

export type TestBackend = 'sqlite' | 'postgres';

/** This run's backend: PERSO_TEST_STORE, which each vitest project sets (SQLite by default). */
export const TEST_STORE: TestBackend = process.env.PERSO_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_STORE === 'postgres';

let admin: postgres.Sql | undefined;
// Idle connections close, so that this worker's pool never keeps it alive.
const adminSql = () => (admin ??= postgres(inject('postgresUrl'), { max: 2, idle_timeout: 2, onnotice: () => {} }));

let strategy: Promise<string> | undefined;
/**
 * PostgreSQL 15+ copies a small template 4–5× faster file by file (about 30 ms here) than
 * through the write-ahead log, its default; older servers know only the former.
 */
const copyStrategy = () =>
  (strategy ??= adminSql()
    .unsafe<{ server_version_num: string }[]>('SHOW server_version_num')
    .then(([row]) => (Number(row!.server_version_num) >= 150_000 ? ' STRATEGY FILE_COPY' : '')));

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

// Named after the run's template, so that the run's teardown finds whatever a worker left.
const newName = () => `${inject('postgresTemplate')}_${randomBytes(6).toString('hex')}`;

function database(name: string): TestDatabase {
  return {
    name,
    url: databaseUrl(inject('postgresUrl'), name),
    drop: async () => void (await adminSql().unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** A copy of the run's migrated template, or with `empty`, a database with no tables at all. */
async function makeDatabase({ empty = false } = {}): Promise<TestDatabase> {
  const name = newName();
  await adminSql().unsafe(`CREATE DATABASE ${name} TEMPLATE ${empty ? 'template0' : inject('postgresTemplate')}${await copyStrategy()}`);
  return database(name);
}

/**
 * The same, made before the call returns (psql in a child process), for set-up that cannot wait
 * on a promise: the HTTP harness hands out its store synchronously.
 */
function makeDatabaseNow(): TestDatabase {
  const name = newName();
  const psql = spawnSync(join(inject('postgresBin'), 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', inject('postgresUrl'), '-c', `CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`], {
    encoding: 'utf8',
  });
  if (psql.status !== 0) throw new Error(`psql could not create a test database: ${psql.stderr || psql.error?.message}`);
  return database(name);
}

/**
 * Copies made ahead, while tests run (a copy takes 30–300 ms on a busy machine): a test takes
 * one that is ready and the next starts. One in flight at a time.
 */
const ready: TestDatabase[] = [];
let making: Promise<void> | undefined;
function makeSpare(): void {
  if (making || ready.length) return;
  making = makeDatabase().then(
    (made) => void ready.push(made),
    () => {},
  );
  void making.finally(() => (making = undefined));
}

/** A fresh, migrated database of its own (a copy of the run's template); `drop()` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!ready.length) await making;
  const taken = ready.pop() ?? (await makeDatabase());
  makeSpare();
  return taken;
}

/** `createTestDatabase`, but at once: a spare when one is ready, else made on the spot. */
export function createTestDatabaseNow(): TestDatabase {
  const taken = ready.pop() ?? makeDatabaseNow();
  makeSpare();
  return taken;
}

/** A database with no tables, not even `schema_migrations`: for migrating from scratch. */
export const createEmptyTestDatabase = () => makeDatabase({ empty: true });

/** A store of this run's backend for one test, and what tests look at beneath it. */
export interface TestStore {
  store: Store;
  /** PostgreSQL runs: the store's pool. */
  sql?: PostgresStore['sql'];
  /** Every stored byte a secret could hide in: the database files on SQLite, every value of every row on PostgreSQL. */
  bytes(): Promise<Buffer>;
  /** Every row of every table (but the limiters' counters and the instances' leases), to compare before and after. */
  snapshot(): Promise<string>;
  /** Closes the store and removes its database (SQLite: the caller removes the folder). */
  dispose(): Promise<void>;
}

/** Not what a request changes: the shared limiter's counters (a refused request is meant to count) and each instance's key-index lease (renewed every second). */
const NOT_STATE = new Set(['rate_limits', 'key_index_instances']);

/** A store on an SQLite file, opened at once. */
export function openSqliteTestStore(dbPath: string): TestStore {
  const store = openSqliteStore(dbPath);
  return {
    store,
    async bytes() {
      const dir = dirname(dbPath);
      return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith(basename(dbPath))).map((f) => readFileSync(join(dir, f))));
    },
    async snapshot() {
      const db = new Database(dbPath, { readonly: true });
      try {
        const tables = db
          .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
          .all()
          .map((t) => t.name)
          .filter((t) => !NOT_STATE.has(t));
        return JSON.stringify(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all().map((r) => JSON.stringify(r)).sort()]));
      } finally {
        db.close();
      }
    },
    dispose: () => store.close(),
  };
}

/**
 * A store on a database of its own on this run's PostgreSQL server, or on `shared` (another
 * instance's database, which its creator drops), opened at once.
 */
export function openPostgresTestStore(shared?: TestDatabase): TestStore & { sql: PostgresStore['sql'] } {
  const database = shared ?? createTestDatabaseNow();
  const store = connectPostgresStore(postgres, database.url, { max: 4 });
  const { sql } = store;
  const tableRows = async () => {
    const tables = await sql<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`;
    const names = tables.map((t) => t.tablename).filter((t) => !NOT_STATE.has(t));
    return Promise.all(names.map(async (t) => [t, await sql.unsafe(`SELECT * FROM "${t}"`)] as const));
  };
  return {
    store,
    sql,
    async bytes() {
      const values = (await tableRows()).flatMap(([, rows]) => rows.flatMap((row) => Object.values(row)));
      return Buffer.concat(values.map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)))));
    },
    async snapshot() {
      return JSON.stringify((await tableRows()).map(([t, rows]) => [t, rows.map((r) => JSON.stringify(r)).sort()]));
    },
    async dispose() {
      await store.close();
      if (!shared) await database.drop();
    },
  };
}

/** A store of this run's backend in a place of its own: an SQLite file in a temp folder, or a PostgreSQL database. */
export async function openTestStore(): Promise<TestStore> {
  if (onPostgres) return openPostgresTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'perso-store-'));
  const opened = openSqliteTestStore(join(dir, 'perso.db'));
  return {
    ...opened,
    async dispose() {
      await opened.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
