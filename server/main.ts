// First: sets UV_THREADPOOL_SIZE before anything starts libuv's thread pool.
import './threadpool.js';
import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { startPostgresRevocationWatch } from './api-keys/revocation/postgres.js';
import { SqliteRevocationWatch } from './api-keys/revocation/sqlite.js';
import { REVOCATION_RETENTION_MS, type RevocationWatch } from './api-keys/revocation/watch.js';
import { createApp } from './app.js';
import { HASHING_CONCURRENCY, HASHING_QUEUE } from './auth/hashing-limits.js';
import { createPostgresRateLimits } from './auth/postgres-rate-limit.js';
import type { RateLimits } from './auth/rate-limit.js';
import { UsageRecorder } from './auth/usage-recorder.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { DevOutbox } from './mail/dev-outbox.js';
import type { Mailer } from './mail/mailer.js';
import { MailQueue } from './mail/queue.js';
import { createSmtpMailer } from './mail/smtp.js';
import { openPostgresStore } from './store/postgres/store.js';
import { openSqliteStore } from './store/sqlite/store.js';
import type { Store } from './store/types.js';

/**
 * Under a flood V8 lets the heap grow to about 4× what is live before collecting, so a server
 * whose live memory is bounded (rate-limit tables have fixed caps) still went from 115 to
 * 254 MiB in 20,000 refused sign-ins. Growing by at most 30 % over the live set kept it at
 * 154 MiB for the same throughput. V8 reads this at every collection, so setting it now works.
 */
const HEAP_GROWING_PERCENT = 30;

/** The only module that reads the environment: configure, open the store, serve, shut down cleanly. */
async function start(): Promise<void> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let config;
  try {
    config = loadConfig(process.env, (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  let store: Store;
  let limits: RateLimits | undefined;
  let verifiedKeys: RevocationWatch | undefined;
  if (config.databaseUrl) {
    try {
      const postgres = await openPostgresStore(config.databaseUrl);
      store = postgres;
      // Shared by every instance on this database; a few stay per instance (see postgres-rate-limit.ts).
      limits = createPostgresRateLimits(postgres.sql, systemClock, (error) => console.error('Could not sweep rate-limit windows', error));
      // This instance's lease and listener: without them its key index would stay off.
      verifiedKeys = await startPostgresRevocationWatch(postgres);
    } catch (error) {
      console.error(`Could not open the PostgreSQL database of DATABASE_URL: ${(error as Error).message}`);
      process.exit(1);
    }
  } else {
    const sqlite = openSqliteStore(config.dbPath);
    store = sqlite;
    // Its lease from the start (and removed at shutdown): other processes on the file wait for it.
    const watch = new SqliteRevocationWatch(sqlite);
    await watch.start();
    verifiedKeys = watch;
  }
  const smtp = config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : undefined;
  const outbox = smtp ? undefined : new DevOutbox(systemClock.now);
  const mailer: Mailer = smtp ?? outbox!;
  const usage = new UsageRecorder(store, systemClock);
  const mailQueue = new MailQueue(store, mailer, systemClock, (message, error) => console.error(message, error ?? ''));
  mailQueue.start();
  // Reads already refuse expired rows; this only keeps abandoned ones from piling up. Secrets
  // stay a week past expiry so an expired link's page can still offer a new mail.
  const sweep = async () => {
    const now = systemClock.now();
    try {
      await store.deleteExpiredSessions(now, config.sessions.idleMs);
      await store.deleteExpiredVerifications(now - 7 * 86_400_000);
      await store.deleteOldMail(now - 7 * 86_400_000);
      await store.deleteOldRevocations(now - REVOCATION_RETENTION_MS);
    } catch (error) {
      console.error('Could not sweep expired rows', error);
    }
  };
  void sweep();
  const sweeper = setInterval(sweep, 3_600_000).unref();

  const app = createApp({
    store,
    mailer,
    config,
    usage,
    mailQueue,
    outbox,
    limits,
    verifiedKeys,
    demoRoot: { demoDir: fileURLToPath(new URL('../demo', import.meta.url)), distDir: fileURLToPath(new URL('../dist', import.meta.url)) },
  });

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    console.log(`Perso server on ${config.publicUrl} (listening on ${config.host}:${config.port})`);
    console.log(`  database: ${config.databaseUrl ? `PostgreSQL ${redactedUrl(config.databaseUrl)}` : config.dbPath}`);
    console.log(smtp ? '  mail: SMTP' : config.devOutbox ? `  mail: dev outbox at ${config.publicUrl}/dev/mailbox` : '  mail: printed to the console only (set SMTP_URL)');
    console.log(`  password hashing: ${HASHING_CONCURRENCY} at a time, ${HASHING_QUEUE} queued; thread pool ${process.env.UV_THREADPOOL_SIZE}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests and closing`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(async () => {
      clearInterval(sweeper);
      await usage.stop();
      await mailQueue.stop();
      await verifiedKeys?.stop();
      smtp?.close();
      await store.close();
      clearTimeout(force);
      process.exit(0);
    });
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** The URL without its password, for the start-up line. */
function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

void start();
