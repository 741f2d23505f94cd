import type postgres from 'postgres';
import { migrations } from './migrations/index.js';

/** Any 64-bit number this project alone uses: "perso-mg". */
const MIGRATION_LOCK = 0x7065_7273_6f2d_6d67n;

/**
 * Applies the migrations not yet in `schema_migrations`, all in one transaction. Instances that
 * start together queue on an advisory lock (the transaction-scoped `pg_advisory_xact_lock`, so
 * that it is released however the transaction ends): the first migrates, the others then find
 * nothing left to do. PostgreSQL's DDL is transactional, so a failing migration leaves nothing
 * half-applied. Returns the versions applied now.
 */
export async function migrate(sql: postgres.Sql): Promise<number[]> {
  const applied = await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK.toString()}::bigint)`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`;
    const done = new Set((await tx<{ version: number }[]>`SELECT version FROM schema_migrations`).map((r) => r.version));
    const now: number[] = [];
    for (const m of migrations.filter((m) => !done.has(m.version))) {
      await tx.unsafe(m.sql).simple();
      await tx`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, ${m.name}, ${Date.now()})`;
      now.push(m.version);
    }
    return now;
  });
  return applied as number[];
}
