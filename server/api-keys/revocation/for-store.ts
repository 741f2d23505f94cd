import type { SqliteStore } from '../../store/sqlite/store.js';
import type { Store } from '../../store/types.js';
import { SqliteRevocationWatch } from './sqlite.js';
import type { RevocationWatch } from './watch.js';

const isSqlite = (store: Store): store is SqliteStore => typeof (store as Partial<SqliteStore>).changeVersion === 'function';

/**
 * The verified-key index with the watch its backend needs, or none for a store that cannot
 * say when others revoke (the index is then off and every check reads the database).
 * PostgreSQL's watch holds a listener and a lease: build it with `startPostgresRevocationWatch`.
 */
export function revocationWatchFor(store: Store): RevocationWatch | undefined {
  return isSqlite(store) ? new SqliteRevocationWatch(store) : undefined;
}
