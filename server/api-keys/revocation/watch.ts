import type { ApiKeyOwner, Store } from '../../store/types.js';
import { KeyIndex } from '../key-index.js';

/** How long revocation rows are kept; a process that has not synced for half of it starts over. */
export const REVOCATION_RETENTION_MS = 60 * 60_000;

/**
 * Keeps a process's `KeyIndex` exact across processes and instances: every key deletion is a
 * numbered revocation row (written in the deleting transaction), and a watch applies them to
 * the index before the index may answer again. Backends differ in how they learn of new rows:
 * SQLite asks `PRAGMA data_version` on each request, PostgreSQL listens and holds a lease.
 */
export abstract class RevocationWatch {
  readonly index: KeyIndex;
  /** The newest revision applied to the index. */
  protected applied = 0;
  #lastSyncAt = 0;
  #syncs: Promise<number> = Promise.resolve(0);

  constructor(
    protected readonly store: Pick<Store, 'revocationsSince'>,
    index?: KeyIndex,
  ) {
    this.index = index ?? new KeyIndex();
  }

  /** Whether the index may answer now without the database; called on every `/v1` request. */
  abstract trusted(): boolean;

  /** After a revocation committed through this process: resolves once no process can still accept the revoked key. */
  abstract settle(): Promise<void>;

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** A verified owner from the index, when it may answer. */
  lookup(indexKey: string): ApiKeyOwner | undefined {
    return this.trusted() ? this.index.get(indexKey) : undefined;
  }

  /** Remembers a key the database vouched for in a read that started at `epoch`. */
  remember(indexKey: string, owner: ApiKeyOwner, epoch: number): void {
    if (this.trusted()) this.index.remember(indexKey, owner, epoch);
  }

  /** Applies every revocation committed so far, one sync at a time; returns the revision applied. */
  protected sync(): Promise<number> {
    const run = async () => {
      const { revision, keyHashes, userIds } = await this.store.revocationsSince(this.applied);
      if (revision > this.applied) {
        // Rows older than the retention may be gone: forgetting everything is the exact answer then.
        if (Date.now() - this.#lastSyncAt > REVOCATION_RETENTION_MS / 2) this.index.clear();
        else this.index.revoke(keyHashes, userIds);
        this.applied = revision;
      }
      this.#lastSyncAt = Date.now();
      return this.applied;
    };
    this.#syncs = this.#syncs.then(run, run);
    return this.#syncs;
  }

  /** Marks the index as current at `revision` without reading rows: for an index still empty. */
  protected startAt(revision: number): void {
    this.applied = revision;
    this.#lastSyncAt = Date.now();
  }
}
