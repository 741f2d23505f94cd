import type { Clock } from '../clock.js';
import type { KeyUsage, Store } from '../store/types.js';

// Every 3 s: uses show in `GET /api/keys` within the 5 s the contract allows, with few writes.
export const USAGE_FLUSH_MS = 3_000;

/** UTC day of a timestamp, `YYYY-MM-DD`. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const DAY_MS = 86_400_000;

/**
 * Counts key uses in memory and writes them in batches, so the request path never writes:
 * one flush writes each used key once (plus one row per day it was used), every 3 s and at
 * shutdown. The first use starts the timer, so a recorder nobody started still records;
 * after `stop()` nothing restarts it.
 */
export class UsageRecorder {
  #pending = new Map<string, { lastUsedAt: number; days: Map<string, number> }>();
  #timer?: NodeJS.Timeout;
  #stopped = false;
  #flushing: Promise<void> = Promise.resolve();
  /** The UTC day last computed and its bounds: `record()` runs on every `/v1` request, and a Date + ISO string each time cost ~3 µs of it under load. */
  #day = { start: 0, end: 0, day: '' };

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: (message: string, error?: unknown) => void = console.error,
  ) {}

  record(keyId: string): void {
    if (this.#timer === undefined && !this.#stopped) this.start();
    const now = this.clock.now();
    this.#add(keyId, now, this.#utcDay(now), 1);
  }

  #utcDay(now: number): string {
    if (now < this.#day.start || now >= this.#day.end) {
      const start = Math.floor(now / DAY_MS) * DAY_MS;
      this.#day = { start, end: start + DAY_MS, day: utcDay(now) };
    }
    return this.#day.day;
  }

  /** Writes what has been counted since the last flush; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      if (this.#pending.size === 0) return;
      const batch: KeyUsage[] = [...this.#pending].map(([keyId, e]) => ({ keyId, lastUsedAt: e.lastUsedAt, days: e.days }));
      this.#pending = new Map();
      try {
        await this.store.recordApiKeyUsage(batch);
      } catch (error) {
        this.log('Could not record API key usage; keeping it for the next flush', error);
        // A busy or briefly unavailable database must not lose the counts.
        for (const u of batch) for (const [day, count] of u.days) this.#add(u.keyId, u.lastUsedAt, day, count);
      }
    });
    return this.#flushing;
  }

  #add(keyId: string, at: number, day: string, count: number): void {
    let entry = this.#pending.get(keyId);
    if (!entry) {
      entry = { lastUsedAt: at, days: new Map() };
      this.#pending.set(keyId, entry);
    }
    entry.lastUsedAt = Math.max(entry.lastUsedAt, at);
    entry.days.set(day, (entry.days.get(day) ?? 0) + count);
  }

  start(intervalMs = USAGE_FLUSH_MS): void {
    this.#stopped = false;
    this.#timer ??= setInterval(() => void this.flush(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
