import { randomUUID } from 'node:crypto';
import type { SqliteStore } from '../../store/sqlite/store.js';
import { DEFAULT_LEASE_MS, DEFAULT_RENEW_MS, LEASE_MARGIN_MS, type LeaseOptions, PRUNE_AFTER_MS, RevocationWatch, SETTLE_LIMIT_MS, sleep } from './watch.js';

export interface SqliteWatchOptions extends LeaseOptions {
  /** How often the process asks whether another connection has committed. */
  pollMs?: number;
}

const DEFAULT_POLL_MS = 5;
/** A settling deletion re-reads the leases this often: a read costs microseconds, the wait is the others' poll. */
const SETTLE_RECHECK_MS = 1;

type WatchedStore = Pick<SqliteStore, 'revocationsSince' | 'changeVersion' | 'ownRevocations' | 'keyIndexLeases' | 'shared' | 'open'>;

/**
 * For one SQLite file shared by several processes (two servers, or the server and an
 * integrator's `requireApiKey()`). The request path asks the database nothing: reading
 * `PRAGMA data_version` on every request cost two `fcntl` calls and about half of what the key
 * check added to a request. Instead the processes keep the protocol of the PostgreSQL watch
 * (revocation/postgres.ts, where the proof is written out), with polling in place of `LISTEN`:
 *
 * - Each process holds a row in `key_index_instances`: a lease and `acked`, the newest
 *   revision it has applied. Every second it renews the lease, then applies every revision up
 *   to the newest, then acks. Every 5 ms it asks `PRAGMA data_version` and, when another
 *   connection has committed, applies and acks at once.
 * - It answers from its index only while its lease is fresh on its monotonic clock, measured
 *   from before the renewal was written, so trust ends before the lease row does.
 * - A deletion through the domain (`settle()`) applies its revision locally, then answers only
 *   once no other live lease is behind it: within a poll or two while the others run.
 *
 * A deletion made by calling this store object directly, without `settle()`, is still seen by
 * the next request in this process: the store counts its own revocations, and reading that
 * count is free. Every process's clock is the machine's (one file, one machine). A process
 * that exits without `stop()` leaves its lease for at most `leaseMs`, and deletions wait for it
 * until then. A `:memory:` store has no other connection: no lease, no timer, only the count.
 */
export class SqliteRevocationWatch extends RevocationWatch {
  readonly instanceId = randomUUID();
  readonly #sqlite: WatchedStore;
  readonly #leaseMs: number;
  readonly #renewMs: number;
  readonly #pollMs: number;
  readonly #log: (message: string, error?: unknown) => void;
  #state: 'idle' | 'running' | 'stopped' = 'idle';
  #leaseUntil = 0;
  #renewedAt = -Infinity;
  #lastPrune = 0;
  #version: number | undefined;
  #ownSeen: number;
  #pending = 0;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;

  constructor(sqlite: WatchedStore, options: SqliteWatchOptions = {}) {
    super(sqlite, options.index);
    this.#sqlite = sqlite;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#renewMs = options.renewMs ?? DEFAULT_RENEW_MS;
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.#log = options.log ?? ((message, error) => console.error(message, error ?? ''));
    this.#ownSeen = sqlite.ownRevocations();
  }

  override trusted(): boolean {
    if (this.#ownSeen !== this.#sqlite.ownRevocations()) this.#catchUp();
    if (!this.#sqlite.shared) return this.#pending === 0;
    // Started by the first request, so a store that never serves `/v1` holds no lease.
    if (this.#state === 'idle') void this.start();
    return this.#pending === 0 && performance.now() < this.#leaseUntil;
  }

  override async start(): Promise<void> {
    if (this.#state !== 'idle' || !this.#sqlite.shared) return;
    this.#state = 'running';
    this.#timer = setInterval(() => void this.#tick(), this.#pollMs);
    this.#timer.unref();
    await this.#tick();
  }

  override async stop(): Promise<void> {
    const wasRunning = this.#state === 'running';
    this.#state = 'stopped';
    clearInterval(this.#timer);
    this.#leaseUntil = 0;
    await this.#ticking;
    // Gone at once rather than when its lease runs out: deletions stop waiting for it.
    if (wasRunning && this.#sqlite.open) this.#quietly(() => this.#sqlite.keyIndexLeases.remove(this.instanceId));
  }

  override async settle(): Promise<void> {
    const revision = await this.sync();
    if (!this.#sqlite.shared) return;
    const deadline = performance.now() + SETTLE_LIMIT_MS;
    for (;;) {
      const behind = this.#sqlite.keyIndexLeases.behind(this.instanceId, revision, Date.now());
      if (behind === 0) return;
      if (performance.now() > deadline) throw new Error(`${behind} process(es) renew their lease but never apply revocation ${revision}`);
      await sleep(SETTLE_RECHECK_MS);
    }
  }

  #catchUp(): void {
    this.#ownSeen = this.#sqlite.ownRevocations();
    this.#pending++;
    this.sync().then(
      () => this.#pending--,
      () => {
        // Unread rows: ask again on the next request, and answer from the database until then.
        this.#ownSeen = -1;
        this.#pending--;
      },
    );
  }

  /** One poll, and the renewal when it is due; never two at once. */
  #tick(): Promise<void> {
    this.#ticking ??= this.#tickOnce().finally(() => (this.#ticking = undefined));
    return this.#ticking;
  }

  async #tickOnce(): Promise<void> {
    if (this.#state !== 'running') return;
    if (!this.#sqlite.open) {
      // The store was closed under a watch nobody stopped: nothing left to watch.
      await this.stop();
      return;
    }
    try {
      if (performance.now() - this.#renewedAt >= this.#renewMs) await this.#renew();
      else if (this.#sqlite.changeVersion() !== this.#version) await this.#applyAndAck();
    } catch (error) {
      this.#log('keeping the key index current failed; the database answers until the next renewal', error);
    }
  }

  async #applyAndAck(): Promise<void> {
    this.#version = this.#sqlite.changeVersion();
    const applied = await this.sync();
    if (this.#state === 'running') this.#sqlite.keyIndexLeases.ack(this.instanceId, applied);
  }

  async #renew(): Promise<void> {
    const sentAt = performance.now();
    const lapsed = sentAt >= this.#leaseUntil;
    // Counted from the attempt: a file this process cannot write is retried once per renewal, not per poll.
    this.#renewedAt = sentAt;
    const newest = this.#sqlite.keyIndexLeases.renew(this.instanceId, Date.now() + this.#leaseMs, this.applied);
    if (lapsed) {
      // Out of touch (or new): start over rather than trust rows that may have been pruned.
      this.index.clear();
      this.startAt(newest);
    }
    await this.#applyAndAck();
    if (this.#state !== 'running') return;
    this.#leaseUntil = sentAt + this.#leaseMs - LEASE_MARGIN_MS;
    if (sentAt - this.#lastPrune > PRUNE_AFTER_MS) {
      this.#lastPrune = sentAt;
      this.#sqlite.keyIndexLeases.prune(Date.now() - PRUNE_AFTER_MS);
    }
  }

  #quietly(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.#log('removing the key index lease failed; it ends by itself', error);
    }
  }
}
