import { HASHING_CONCURRENCY, HASHING_NICENESS, HASHING_QUEUE } from './hashing-limits.js';
import { HashThreads } from './hashing-threads.js';

// argon2id (the library's default algorithm) at OWASP's baseline: 19 MiB, 2 passes, on hashing
// threads of their own at a lower priority than the event loop (hashing-threads.ts).
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The hashing queue is full: the caller should answer 503 `busy` with `Retry-After`. */
export class HashingBusyError extends Error {
  constructor(readonly retryAfterS: number) {
    super('Too many password hashes are waiting');
    this.name = 'HashingBusyError';
  }
}

/**
 * At most `concurrency` hashes at once and `maxQueued` waiting; beyond that, refuse at once
 * rather than let waits grow without bound. Per process, like the CPU it protects.
 */
class HashingBudget {
  #running = 0;
  #waiting: (() => void)[] = [];
  /** Recent time per hash, for an honest Retry-After. */
  #averageMs = 20;

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running < this.concurrency) this.#running += 1;
    else if (this.#waiting.length < this.maxQueued) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else throw new HashingBusyError(this.#retryAfterS());
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.#averageMs = 0.8 * this.#averageMs + 0.2 * (performance.now() - started);
      // The slot passes straight to the next waiter, so `#running` only drops when none waits.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }

  /** 0 while a hash could still queue; once the queue is full, the seconds it needs to drain. */
  fullFor(): number {
    return this.#running < this.concurrency || this.#waiting.length < this.maxQueued ? 0 : this.#retryAfterS();
  }

  /** Seconds until the queue has drained at the recent pace. */
  #retryAfterS(): number {
    return Math.max(1, Math.ceil(((this.#waiting.length + this.#running) * this.#averageMs) / this.concurrency / 1000));
  }
}

const budget = new HashingBudget(HASHING_CONCURRENCY, HASHING_QUEUE);
const threads = new HashThreads(HASHING_CONCURRENCY, HASHING_NICENESS);

async function hashOnThread(password: string): Promise<string> {
  const reply = await threads.run({ op: 'hash', password, options });
  if (typeof reply.value !== 'string') throw new Error(`Could not hash a password: ${reply.error}`);
  return reply.value;
}

const verifyOnThread = async (passwordHash: string, password: string): Promise<boolean> =>
  (await threads.run({ op: 'verify', passwordHash, password })).value === true;

/**
 * 0 while a password hash could still be queued; otherwise the `Retry-After` a 503 `busy` would
 * carry. Lets a flood of sign-ins be refused before its bodies are even read.
 */
export const hashingFullFor = (): number => budget.fullFor();

/** Hashes through the budget; throws `HashingBusyError` when its queue is full. */
export const hashPassword = (password: string): Promise<string> => budget.run(() => hashOnThread(password));

/** Compares through the budget; false for a wrong password or an unreadable hash, `HashingBusyError` when full. */
export const verifyPassword = (passwordHash: string, password: string): Promise<boolean> =>
  budget.run(() => verifyOnThread(passwordHash, password).catch(() => false));

/**
 * Hash compared against when the email is unknown, so that answer costs the same time as a
 * wrong password and timing does not tell which emails have accounts.
 */
export const decoyPasswordHash: Promise<string> = hashPassword('perso-decoy-password-never-matches');
