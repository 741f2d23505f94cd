/**
 * The key check alone, in process and on CPU time: the same Hono route with `requireApiKey()`
 * (real SQLite store, limiter and usage recorder) and with a middleware that sets the same owner
 * without checking anything. Unlike the HTTP runs, other processes on the machine barely move it.
 */
import { Hono } from 'hono';
import { hashApiKeySecret } from '../server/auth/api-key-secret.js';
import { MemoryRateLimiter } from '../server/auth/rate-limit.js';
import { type ApiKeyVariables, requireApiKey } from '../server/auth/require-api-key.js';
import { UsageRecorder } from '../server/auth/usage-recorder.js';
import { systemClock } from '../server/clock.js';
import { openSqliteStore } from '../server/store/sqlite/store.js';
import { median } from './section.js';

export interface KeyCheckCost {
  /** CPU µs per request without and with the key check. */
  withoutMicros: number;
  withMicros: number;
  /** What the key check adds to a request: hash, lookup, expiry, limiter, usage count. */
  addedMicros: number;
}

const REQUESTS = 20_000;
const ROUNDS = 5;

export async function measureKeyCheck(dbPath: string, secrets: string[]): Promise<KeyCheckCost> {
  const store = openSqliteStore(dbPath);
  const usage = new UsageRecorder(store, systemClock);
  try {
    const owner = (await store.findApiKeyByHash(hashApiKeySecret(secrets[0]!)))!;
    const handler = new Hono<{ Variables: ApiKeyVariables }>().get('/v1/whoami', (c) => {
      const k = c.get('apiKey');
      return c.json({ user: { id: k.userId, email: k.email }, organization: { id: k.organizationId, name: 'Perso' }, key: { id: k.keyId, name: k.keyName } });
    });
    const without = new Hono<{ Variables: ApiKeyVariables }>()
      .use('/v1/*', async (c, next) => {
        c.set('apiKey', owner);
        await next();
      })
      .route('/', handler);
    const limiter = new MemoryRateLimiter({ max: 100, windowMs: 60_000 }, systemClock);
    const checked = new Hono<{ Variables: ApiKeyVariables }>().use('/v1/*', requireApiKey({ store, usage, limiter })).route('/', handler);
    const env = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };

    const cpuMicrosPerRequest = async (app: Hono<{ Variables: ApiKeyVariables }>) => {
      const before = process.cpuUsage();
      for (let i = 0; i < REQUESTS; i++) {
        // A server's event loop turns between requests; awaits alone never would, and its timers
        // (the usage flush, the key index's lease renewal) would never run.
        if (i % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
        const response = await app.request('http://bench/v1/whoami', { headers: { authorization: `Bearer ${secrets[i % secrets.length]}` } }, env);
        if (response.status !== 200) throw new Error(`key check answered ${response.status}`);
        await response.arrayBuffer();
      }
      const used = process.cpuUsage(before);
      return (used.user + used.system) / REQUESTS;
    };
    await cpuMicrosPerRequest(without);
    await cpuMicrosPerRequest(checked);
    const withoutRuns: number[] = [];
    const withRuns: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      withoutRuns.push(await cpuMicrosPerRequest(without));
      withRuns.push(await cpuMicrosPerRequest(checked));
    }
    const withoutMicros = median(withoutRuns);
    const withMicros = median(withRuns);
    return { withoutMicros, withMicros, addedMicros: withMicros - withoutMicros };
  } finally {
    await usage.stop();
    await store.close();
  }
}
