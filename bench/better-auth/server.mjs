/**
 * better-auth's API-key verify behind the same HTTP stack as our server (Hono on
 * @hono/node-server, SQLite through better-sqlite3, all three from the repo's node_modules), for
 * bench/better-auth.ts. better-auth and its API-key plugin come from the scratch folder the bench
 * installed them into (BA_SCRATCH), so the repo needs neither them nor their types.
 *
 * Environment: BA_SCRATCH (folder with node_modules/better-auth), BA_DB (a fresh SQLite file),
 * BA_PORT, BA_KEYS (how many keys to create). On start it migrates better-auth's schema, signs
 * up one user, creates BA_KEYS keys for that user through better-auth's own API, prints them as
 * one line `keys ["…", …]` and then `better-auth server on http://…`.
 *
 * `GET /verify`: the key from `Authorization: Bearer …` or `x-api-key`, checked by
 * `auth.api.verifyApiKey({ body: { key } })`; 200 `{ user: { id }, key: { id, name } }` when
 * valid, 401 otherwise — the same shape of work as our `/v1/whoami`.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';

const { BA_SCRATCH, BA_DB, BA_PORT, BA_KEYS } = process.env;
if (!BA_SCRATCH || !BA_DB || !BA_PORT || !BA_KEYS) throw new Error('BA_SCRATCH, BA_DB, BA_PORT and BA_KEYS are required');

const fromScratch = createRequire(`${BA_SCRATCH}/package.json`);
const load = (specifier) => import(pathToFileURL(fromScratch.resolve(specifier)).href);
const [{ betterAuth }, { getMigrations }, { apiKey }] = await Promise.all([
  load('better-auth'),
  load('better-auth/db/migration'),
  load('@better-auth/api-key'),
]);

const db = new Database(BA_DB);
// The same connection settings as our SQLite store (server/store/sqlite/store.ts), so the
// comparison is of the two key checks, not of two journal modes.
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.pragma('secure_delete = ON');
db.pragma('mmap_size = 268435456');

const baseURL = `http://127.0.0.1:${BA_PORT}`;
const options = {
  database: db,
  baseURL,
  secret: 'perso-bench-better-auth-secret-not-for-production-use',
  emailAndPassword: { enabled: true },
  telemetry: { enabled: false },
  // Defaults except the plugin's per-key rate limiter: on by default at 10 verifications a day
  // per key, it would refuse all but the first 10 requests of each connection. Our /v1 counts no
  // valid uses either (it limits failed attempts per address). Disabled, a verify still writes
  // lastRequest and updatedAt on every call, as the plugin does by default.
  plugins: [apiKey({ rateLimit: { enabled: false } })],
};
const auth = betterAuth(options);
const { runMigrations } = await getMigrations(auth.options);
await runMigrations();

const { user } = await auth.api.signUpEmail({
  body: { email: 'bench@bench.example', password: 'bench-password-long-enough', name: 'Bench' },
});
const keys = [];
for (let i = 0; i < Number(BA_KEYS); i++) {
  const created = await auth.api.createApiKey({ body: { userId: user.id, name: `key ${i}` } });
  keys.push(created.key);
}
process.stdout.write(`keys ${JSON.stringify(keys)}\n`);

const presented = (headers) => {
  const authorization = headers.get('authorization');
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7);
  return headers.get('x-api-key');
};

const app = new Hono();
app.get('/verify', async (c) => {
  const key = presented(c.req.raw.headers);
  if (!key) return c.json({ error: 'unauthorized' }, 401);
  try {
    const result = await auth.api.verifyApiKey({ body: { key } });
    if (!result.valid || !result.key) return c.json({ error: 'unauthorized' }, 401);
    return c.json({ user: { id: result.key.referenceId }, key: { id: result.key.id, name: result.key.name } }, 200, { 'cache-control': 'no-store' });
  } catch {
    return c.json({ error: 'unauthorized' }, 401);
  }
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(BA_PORT) }, () => {
  process.stdout.write(`better-auth server on ${baseURL}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
});
