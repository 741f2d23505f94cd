import { availableParallelism } from 'node:os';

/**
 * How many password hashes run at once: one core stays free for the event loop, so requests
 * that need no hash are not starved by a sign-in flood (measured: one hash at a time on two
 * cores took whoami p99 under a flood from 5.5× to 2.8× idle for 19 % fewer sign-ins per second).
 * No imports beyond node:os: main.ts reads this before anything starts libuv's thread pool.
 */
export const HASHING_CONCURRENCY = Math.max(1, availableParallelism() - 1);

/** Hashes that may wait for a slot: at ~20 ms each, at most ~0.3 s of waiting per slot. */
export const HASHING_QUEUE = 16 * HASHING_CONCURRENCY;

/**
 * How much lower than the event loop hashing threads run (Linux `nice`, 0–19). At 19 a hash
 * yields the core to any other work the moment it wants it: under a sign-in flood whoami's p50
 * stayed at its idle 2.1–2.5 ms instead of rising to 8–9 ms on libuv's pool. The price: on a
 * machine busy with other work, hashes (so sign-ins) slow down first, and the bounded queue
 * answers 503 `busy` sooner.
 */
export const HASHING_NICENESS = 19;

/**
 * libuv's thread pool: libuv's default 4 threads for file, DNS (SMTP) and zlib work. Hashes run
 * on threads of their own (hashing-threads.ts), so none of that work ever waits behind a hash.
 */
export const THREADPOOL_SIZE = 4;

/**
 * How long a refused sign-in or sign-up waits for its answer (see `Tarpit` in http/flood-gate.ts):
 * never more than the 1 s minimum `Retry-After` of those refusals.
 */
export const REFUSAL_DELAY_MS = 1_000;

/** Refusals held at once; past that they are answered at once. Each holds a socket, a timer and one request's objects (~2 KB). */
export const MAX_HELD_REFUSALS = 1_024;
