import type { Clock } from '../clock.js';
import type { KeyUsage, Store } from '../store/types.js';

export const USAGE_FLUSH_MS = 2_000;

/** UTC day of a timestamp, `YYYY-MM-DD`. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Counts key uses in memory and writes them in batches, so the request path never writes:
 * one flush writes each used key once (plus one row per day it was used), every 2 s and at
 * shutdown.
 */
export class UsageRecorder {
  #pending = new Map<string, { lastUsedAt: number; days: Map<string, number> }>();
  #timer?: NodeJS.Timeout;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: (message: string, error?: unknown) => void = console.error,
  ) {}

  record(keyId: string): void {
    const now = this.clock.now();
    const day = utcDay(now);
    let entry = this.#pending.get(keyId);
    if (!entry) {
      entry = { lastUsedAt: now, days: new Map() };
      this.#pending.set(keyId, entry);
    }
    entry.lastUsedAt = now;
    entry.days.set(day, (entry.days.get(day) ?? 0) + 1);
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
        this.log('Could not record API key usage', error);
      }
    });
    return this.#flushing;
  }

  start(intervalMs = USAGE_FLUSH_MS): void {
    this.#timer ??= setInterval(() => void this.flush(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}
