import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { Store } from '../../store/types.js';
import { DEFAULT_LEASE_MS, DEFAULT_RENEW_MS, LEASE_MARGIN_MS, type LeaseOptions, PRUNE_AFTER_MS, RevocationWatch, SETTLE_LIMIT_MS, sleep } from './watch.js';

export const REVOCATION_CHANNEL = 'perso_key_revocations';

export interface PostgresWatchOptions extends LeaseOptions {
  instanceId?: string;
}

/**
 * For several instances on one PostgreSQL (API.md §8: "a key deleted through one fails on the
 * very next request to any other"). The protocol:
 *
 * - Each instance holds a row in `key_index_instances`: a lease (`lease_until`, on the
 *   database's clock) and `acked`, the newest revision it has applied to its index. It renews
 *   every second: the renewal reads the newest revision, applies every row up to it, then acks.
 *   `acked` is only ever written after the rows are applied.
 * - An instance answers from its index only while its own view of the lease is fresh (measured
 *   on its monotonic clock from *before* the renewal was sent, so it ends before the database's
 *   `lease_until`) and while its listener is known to work (its own heartbeat came back through
 *   `LISTEN` recently). Otherwise it reads the database, which is always exact.
 * - A deletion commits with a new revision (revisions commit in order: one counter row), applies
 *   it locally, sends `NOTIFY`, and answers 204 only once no other instance with a live lease
 *   has `acked` below it. Instances apply and ack on the notification at once, or at their next
 *   renewal when notifications are lost.
 *
 * Why no request that starts after the 204 can be answered from a stale index: at the final
 * check every other instance either had acked (it had already dropped the key, and a database
 * read that raced the drop is discarded by the index's epoch) or had no live lease — then its
 * own trust had ended before that moment, and it regains trust only by a renewal that applies
 * every revision committed before it, the deletion's included.
 */
export class PostgresRevocationWatch extends RevocationWatch {
  readonly instanceId: string;
  readonly #sql: Sql;
  readonly #leaseMs: number;
  readonly #renewMs: number;
  readonly #log: (message: string, error?: unknown) => void;
  readonly #beatToken: string;
  #leaseUntil = 0;
  #heardUntil = 0;
  #timer: NodeJS.Timeout | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #renewing: Promise<void> | undefined;
  #lastPrune = 0;

  constructor(sql: Sql, store: Pick<Store, 'revocationsSince'>, options: PostgresWatchOptions = {}) {
    super(store, options.index);
    this.#sql = sql;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#renewMs = options.renewMs ?? DEFAULT_RENEW_MS;
    this.#log = options.log ?? ((message, error) => console.error(message, error ?? ''));
    this.instanceId = options.instanceId ?? randomUUID();
    this.#beatToken = `beat ${this.instanceId}`;
  }

  override trusted(): boolean {
    const now = performance.now();
    return now < this.#leaseUntil && now < this.#heardUntil;
  }

  override async start(): Promise<void> {
    const sentAt = performance.now();
    const [row] = await this.#sql<{ revision: string }[]>`
      INSERT INTO key_index_instances (id, lease_until, acked)
      VALUES (${this.instanceId}, ${this.#dbNow()} + ${this.#leaseMs}, (SELECT revision FROM key_revision))
      RETURNING acked AS revision`;
    // The index is empty: it is exact at any revision, so it starts at the newest.
    this.startAt(Number(row!.revision));
    const { unlisten } = await this.#sql.listen(
      REVOCATION_CHANNEL,
      (payload) => this.#heard(payload),
      // Also after a dropped connection is resubscribed: notifications sent meanwhile are lost.
      () => {
        void this.#beat();
        void this.#applyAndAck();
      },
    );
    this.#unlisten = unlisten;
    this.#leaseUntil = sentAt + this.#leaseMs - LEASE_MARGIN_MS;
    this.#timer = setInterval(() => void this.#renew(), this.#renewMs);
    this.#timer.unref();
  }

  override async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#leaseUntil = 0;
    await this.#renewing;
    await this.#unlisten?.().catch(() => {});
    // Gone at once rather than when its lease runs out: deletions stop waiting for it.
    await this.#sql`DELETE FROM key_index_instances WHERE id = ${this.instanceId}`.catch(() => {});
  }

  override async settle(): Promise<void> {
    const revision = await this.sync();
    await this.#sql.notify(REVOCATION_CHANNEL, String(revision));
    const deadline = performance.now() + SETTLE_LIMIT_MS;
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      const [row] = await this.#sql<{ behind: number }[]>`
        SELECT count(*)::int AS behind FROM key_index_instances
         WHERE id <> ${this.instanceId} AND acked < ${revision} AND lease_until > ${this.#dbNow()}`;
      if (row!.behind === 0) return;
      if (performance.now() > deadline) throw new Error(`${row!.behind} instance(s) renew their lease but never apply revocation ${revision}`);
      await sleep(wait);
    }
  }

  #dbNow() {
    return this.#sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  }

  #heard(payload: string): void {
    if (payload === this.#beatToken) {
      // Beats go out every renewal: missing two and a half of them means the listener is gone.
      this.#heardUntil = performance.now() + this.#renewMs * 2.5;
      return;
    }
    if (!payload.startsWith('beat ')) void this.#applyAndAck();
  }

  async #beat(): Promise<void> {
    await this.#sql.notify(REVOCATION_CHANNEL, this.#beatToken).catch((error) => this.#log('revocation listener heartbeat failed', error));
  }

  async #applyAndAck(): Promise<void> {
    try {
      const revision = await this.sync();
      await this.#sql`UPDATE key_index_instances SET acked = GREATEST(acked, ${revision}) WHERE id = ${this.instanceId}`;
    } catch (error) {
      this.#log('applying key revocations failed; the database answers until the next renewal', error);
    }
  }

  #renew(): Promise<void> {
    this.#renewing ??= this.#renewOnce().finally(() => (this.#renewing = undefined));
    return this.#renewing;
  }

  async #renewOnce(): Promise<void> {
    const sentAt = performance.now();
    const lapsed = sentAt >= this.#leaseUntil;
    try {
      const [row] = await this.#sql<{ revision: string }[]>`
        INSERT INTO key_index_instances (id, lease_until, acked)
        VALUES (${this.instanceId}, ${this.#dbNow()} + ${this.#leaseMs}, ${this.applied})
        ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until
        RETURNING (SELECT revision FROM key_revision) AS revision`;
      const newest = Number(row!.revision);
      if (lapsed) {
        // Out of touch for a while: start over rather than trust rows that may have been pruned.
        this.index.clear();
        this.startAt(newest);
      }
      const applied = await this.sync();
      await this.#sql`UPDATE key_index_instances SET acked = GREATEST(acked, ${applied}) WHERE id = ${this.instanceId}`;
      if (this.#timer === undefined) return; // stopped meanwhile
      this.#leaseUntil = sentAt + this.#leaseMs - LEASE_MARGIN_MS;
      await this.#beat();
      if (sentAt - this.#lastPrune > PRUNE_AFTER_MS) {
        this.#lastPrune = sentAt;
        await this.#sql`DELETE FROM key_index_instances WHERE lease_until < ${this.#dbNow()} - ${PRUNE_AFTER_MS}`;
      }
    } catch (error) {
      this.#log('renewing the key index lease failed; the database answers until it succeeds', error);
    }
  }
}

/** The PostgreSQL watch, started: its lease is registered and its listener subscribed. */
export async function startPostgresRevocationWatch(store: Store & { readonly sql: Sql }, options?: PostgresWatchOptions): Promise<PostgresRevocationWatch> {
  const watch = new PostgresRevocationWatch(store.sql, store, options);
  await watch.start();
  return watch;
}
