import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../store/types.js';
import type { Mailer, MailMessage } from './mailer.js';

/** Waits before each retry; after the last one the mail is given up (and logged). */
const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** A mail being sent is hidden this long from other workers; a crash mid-send retries it after. */
const LEASE_MS = 2 * 60_000;
const BATCH = 10;
const POLL_MS = 5_000;

/**
 * Mail is written to the database and answered at once; this worker sends it afterwards, so a
 * slow or hanging SMTP server never holds a request, every answer costs the same whatever
 * the account state, and a queued mail survives a restart.
 */
export class MailQueue {
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;
  #again = false;

  constructor(
    private readonly store: Store,
    private readonly mailer: Mailer,
    private readonly clock: Clock,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  /** Stores the mail and wakes the worker. */
  async enqueue(message: MailMessage): Promise<void> {
    const now = this.clock.now();
    // Time-ordered ids: mail goes out in the order it was queued, on any backend.
    await this.store.enqueueMail({ id: `${now.toString(16).padStart(12, '0')}-${randomBytes(8).toString('hex')}`, ...message, createdAt: now });
    if (this.#timer) this.#wake();
  }

  /** Sends every mail due now; resolves when the queue has nothing due. Concurrent calls share one run. */
  drain(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          while (await this.#sendBatch());
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async #sendBatch(): Promise<boolean> {
    const now = this.clock.now();
    const due = await this.store.claimDueMail(now, BATCH, LEASE_MS);
    await Promise.all(
      due.map(async (mail) => {
        try {
          await this.mailer.send({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, links: mail.links });
          await this.store.markMailSent(mail.id);
        } catch (error) {
          const delay = RETRY_DELAYS_MS[mail.tries - 1];
          const reason = error instanceof Error ? error.message : String(error);
          if (delay === undefined) this.log(`Giving up on a mail to ${mail.to} after ${mail.tries} tries`, error);
          else this.log(`Could not send a mail to ${mail.to} (try ${mail.tries}); retrying in ${delay / 1000} s`, error);
          await this.store.markMailFailed(mail.id, reason.slice(0, 500), delay === undefined ? null : this.clock.now() + delay);
        }
      }),
    );
    return due.length === BATCH;
  }

  /** Polls for due retries (and mail queued before a restart) and sends new mail right away. */
  start(intervalMs = POLL_MS): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#wake(), intervalMs);
    this.#timer.unref();
    this.#wake();
  }

  #wake(): void {
    setImmediate(() => void this.drain().catch((error) => this.log('Mail queue failed', error)));
  }

  /** Stops polling and waits for the mail being sent. Queued mail stays for the next start. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
