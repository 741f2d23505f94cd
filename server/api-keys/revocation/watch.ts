import type { ApiKeyOwner, Store } from '../../store/types.js';
import { KeyIndex } from '../key-index.js';

/** What both lease-holding watches take (revocation/postgres.ts, revocation/sqlite.ts). */
export interface LeaseOptions {
  /** How long a process's promise to apply revocations lasts without renewal. */
  leaseMs?: number;
  renewMs?: number;
  log?: (message: string, error?: unknown) => void;
  index?: KeyIndex;
}

export const DEFAULT_LEASE_MS = 3_000;
export const DEFAULT_RENEW_MS = 1_000;
/** Slack for timer delays (and for a clock running a little fast against the database's): trust ends this long before the lease. */
export const LEASE_MARGIN_MS = 500;
/** The longest a deletion waits for acknowledgements before it reports failure: far past any lease. */
export const SETTLE_LIMIT_MS = 15_000;
/** Leases that ended this long ago are deleted. */
export const PRUNE_AFTER_MS = 60_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long revocation rows are kept; a process that has not synced for half of it starts over. */
export const REVOCATION_RETENTION_MS = 60 * 60_000;

/**
 * Keeps a process's `KeyIndex` exact across processes and instances: every key deletion is a
 * numbered revocation row (written in the deleting transaction), and a watch applies them to
 * the index before the index may answer again. Each process holds a lease and acks what it has
 * applied; a deletion waits for every live lease. Backends differ in how they learn of new
 * rows: PostgreSQL listens, SQLite polls `PRAGMA data_version`.
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
