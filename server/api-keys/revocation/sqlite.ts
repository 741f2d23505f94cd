import type { SqliteStore } from '../../store/sqlite/store.js';
import type { KeyIndex } from '../key-index.js';
import { RevocationWatch } from './watch.js';

/**
 * For one SQLite file shared by several processes (the server and an integrator's
 * `requireApiKey()`, say). Each request first reads `PRAGMA data_version` (about 1 µs), which
 * changes when another connection has committed; the index then stays out of use until the new
 * revocation rows are applied. A deletion commits before its 204, so any request that starts
 * after the 204, in any process, sees the new version and cannot be answered from a stale index.
 * Deletions through the same store move it too (the store counts them), so a key deleted by
 * calling the store directly is not answered from the index either.
 */
export class SqliteRevocationWatch extends RevocationWatch {
  #version: number | undefined;
  #pending = 0;

  constructor(
    private readonly sqlite: Pick<SqliteStore, 'revocationsSince' | 'changeVersion'>,
    index?: KeyIndex,
  ) {
    super(sqlite, index);
  }

  override trusted(): boolean {
    const version = this.sqlite.changeVersion();
    if (version !== this.#version) {
      this.#version = version;
      this.#catchUp();
    }
    return this.#pending === 0;
  }

  override async settle(): Promise<void> {
    this.#pending++;
    try {
      await this.sync();
    } finally {
      this.#pending--;
    }
  }

  #catchUp(): void {
    this.#pending++;
    this.sync().then(
      () => this.#pending--,
      () => {
        // Unread rows: ask again on the next request, and answer from the database until then.
        this.#version = undefined;
        this.#pending--;
      },
    );
  }
}
