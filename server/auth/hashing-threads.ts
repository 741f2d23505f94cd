import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Password hashes on threads of their own, each lowered in CPU priority (Linux: `nice` applies
 * per thread, so the event loop keeps its own). On libuv's pool a hash competed with the event
 * loop as an equal; niced, it takes whatever CPU the loop leaves, so a request that needs no
 * hash is never kept waiting behind one for the core. Elsewhere the priority stays as it is.
 *
 * The worker is plain CommonJS passed as a string, so it runs the same from TypeScript sources
 * (tsx, vitest) and from the compiled package, and loads the same `@node-rs/argon2`.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.argon2);
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, workerData.niceness);
} catch {}
parentPort.on('message', ({ op, password, passwordHash, options }) => {
  try {
    parentPort.postMessage({ value: op === 'hash' ? argon2.hashSync(password, options) : argon2.verifySync(passwordHash, password) });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});
`;

export type HashJob = { op: 'hash'; password: string; options: object } | { op: 'verify'; passwordHash: string; password: string };

interface Reply {
  value?: string | boolean;
  error?: string;
}

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

/** One worker, one job at a time (the hashing budget never gives it two). */
class HashThread {
  #worker: Worker | undefined;
  #pending: Pending | undefined;

  constructor(private readonly niceness: number) {}

  run(job: HashJob): Promise<Reply> {
    const worker = (this.#worker ??= this.#start());
    // Referenced only while it works, so an idle hashing thread never keeps a process alive.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      worker.postMessage(job);
    });
  }

  #start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { argon2: createRequire(import.meta.url).resolve('@node-rs/argon2'), niceness: this.niceness },
    });
    worker.unref();
    worker.on('message', (reply: Reply) => this.#settle((p) => p.resolve(reply)));
    worker.on('error', (error) => this.#settle((p) => p.reject(error)));
    // A worker that died is replaced at the next job.
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#settle((p) => p.reject(new Error('The password hashing thread stopped')));
    });
    return worker;
  }

  #settle(act: (pending: Pending) => void): void {
    const pending = this.#pending;
    this.#pending = undefined;
    this.#worker?.unref();
    if (pending) act(pending);
  }
}

/** `count` hashing threads handed out one job each; callers (the budget) never run more than `count` at once. */
export class HashThreads {
  readonly #idle: HashThread[];

  constructor(count: number, niceness: number) {
    this.#idle = Array.from({ length: count }, () => new HashThread(niceness));
  }

  async run(job: HashJob): Promise<Reply> {
    const thread = this.#idle.pop();
    if (!thread) throw new Error('More password hashes at once than hashing threads');
    try {
      return await thread.run(job);
    } finally {
      this.#idle.push(thread);
    }
  }
}
