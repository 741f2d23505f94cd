/**
 * Several real server processes (`server/main.ts`) on one database, and a client that streams
 * key-authenticated requests at one of them while recording when each started and ended.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { hashPassword } from '../../../server/auth/passwords.js';
import type { Store } from '../../../server/store/types.js';

export { freePort, startServer, type ServerProcess } from '../../../bench/server-process.js';

export interface Account {
  userId: string;
  email: string;
  password: string;
}

/** A verified account written straight into the store, so no mail round trip is needed. */
export async function seedAccount(store: Store, email = `owner-${randomUUID()}@example.com`): Promise<Account> {
  const password = 'correct horse battery staple';
  const userId = randomUUID();
  await store.createUser({ id: userId, email, organizationId: 'default', passwordHash: await hashPassword(password), emailVerifiedAt: Date.now(), createdAt: Date.now() });
  return { userId, email, password };
}

/** Signs in on one server and returns its session cookie (`name=value`). */
export async function signIn(serverUrl: string, account: Account): Promise<string> {
  const response = await fetch(`${serverUrl}/api/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: serverUrl },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('perso_session='));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return cookie.split(';')[0]!;
}

/** Calls a cookie-session route as the browser of `serverUrl`'s own origin would. */
export const sessionCall = (serverUrl: string, cookie: string, method: string, path: string, body?: unknown) =>
  fetch(`${serverUrl}${path}`, {
    method,
    headers: { origin: serverUrl, cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Creates a key through `serverUrl` as the session's user; throws unless it answers 201. */
export async function createKeyThrough(serverUrl: string, cookie: string, name: string): Promise<{ key: { id: string }; secret: string }> {
  const response = await sessionCall(serverUrl, cookie, 'POST', '/api/keys', { name });
  if (response.status !== 201) throw new Error(`POST /api/keys answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { key: { id: string }; secret: string };
}

export interface Sample {
  startedAt: number;
  endedAt: number;
  status: number;
}

/**
 * `concurrency` loops, each sending `request()` again as soon as the last one answered, until
 * `stop()`; every answer is recorded with its start and end on `performance.now()`'s clock.
 */
export function stream(request: () => Promise<number>, concurrency: number) {
  const samples: Sample[] = [];
  let running = true;
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      const startedAt = performance.now();
      const status = await request();
      samples.push({ startedAt, endedAt: performance.now(), status });
      // An in-process request answered from memory settles in microtasks only: without a turn of
      // the event loop, the loops would starve every timer (the deletion's included).
      await nextTurn();
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
      return samples;
    },
  };
}

export const whoamiStatus = (serverUrl: string, secret: string) => async () => {
  const response = await fetch(`${serverUrl}/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });
  await response.arrayBuffer();
  return response.status;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deletes the key through `deleter` while `stream` runs against another instance, and splits
 * the stream's answers by whether the request started after the deletion's 204.
 */
export async function deleteDuringStream(options: {
  deleter: { url: string; cookie: string };
  keyId: string;
  request: () => Promise<number>;
  concurrency?: number;
  /** How long the stream runs before and after the deletion. */
  aroundMs?: number;
}) {
  const { aroundMs = 400, concurrency = 8 } = options;
  const load = stream(options.request, concurrency);
  await sleep(aroundMs);
  const deleteStartedAt = performance.now();
  const deletion = await sessionCall(options.deleter.url, options.deleter.cookie, 'DELETE', `/api/keys/${options.keyId}`);
  const answeredAt = performance.now();
  await sleep(aroundMs);
  const samples = await load.stop();
  return {
    deleteStatus: deletion.status,
    deleteMs: answeredAt - deleteStartedAt,
    before: samples.filter((s) => s.endedAt < deleteStartedAt),
    /** Requests that started after the 204: every one must be refused. */
    after: samples.filter((s) => s.startedAt > answeredAt),
    /** Anything but an answer or a refusal (401, or 429 once the address has failed too often). */
    errors: samples.filter((s) => ![200, 401, 429].includes(s.status)),
  };
}
