import type postgres from 'postgres';

/** Where a query runs: the pool, or the transaction that `Store.transaction` opened. */
export type Db = postgres.Sql | postgres.TransactionSql;

/** Runs `fn` in a transaction: a new one on the pool, or the one `sql` already is. */
export function atomically<T>(sql: Db, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return 'begin' in sql ? (sql.begin(fn) as Promise<T>) : fn(sql);
}
