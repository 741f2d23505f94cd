import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresRevocationWatch } from '../../server/api-keys/revocation/postgres.js';
import { SqliteRevocationWatch } from '../../server/api-keys/revocation/sqlite.js';
import type { RevocationWatch } from '../../server/api-keys/revocation/watch.js';
import { createApp } from '../../server/app.js';
import type { OAuthClients } from '../../server/auth/oauth-client.js';
import { createPostgresRateLimits } from '../../server/auth/postgres-rate-limit.js';
import { createRateLimits, type RateLimits } from '../../server/auth/rate-limit.js';
import { UsageRecorder } from '../../server/auth/usage-recorder.js';
import type { Clock } from '../../server/clock.js';
import { type AppConfig, loadConfig } from '../../server/config.js';
import { DevOutbox } from '../../server/mail/dev-outbox.js';
import type { Mailer } from '../../server/mail/mailer.js';
import { MailQueue } from '../../server/mail/queue.js';
import type { Store } from '../../server/store/types.js';
import type { SqliteStore } from '../../server/store/sqlite/store.js';
import { onPostgres, openPostgresTestStore, openSqliteTestStore, type TestDatabase } from './store/test-stores.js';

export { onPostgres, TEST_STORE } from './store/test-stores.js';

export const ORIGIN = 'http://localhost:8787';

/** What @hono/node-server would pass: the socket's peer, here a proxy on loopback (X-Forwarded-For counts only behind a trusted one). */
export const LOOPBACK_PEER = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(public ms = Date.parse('2026-11-26T12:00:00Z')) {}
  now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function testConfig(env: Record<string, string> = {}, file?: unknown): AppConfig {
  return loadConfig({ PERSO_PUBLIC_URL: ORIGIN, ...env }, () => (file === undefined ? undefined : JSON.stringify(file)));
}

/** One browser's cookie jar against the harness's app: sign-up binding and session. */
export interface Browser {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** A form POST as the server's own pages send it. */
  submitForm(path: string, fields: Record<string, string>): Promise<Response>;
  cookie?: string;
  signupCookie?: string;
  /** `perso_oauth`: binds a social sign-in's state to this browser. */
  oauthCookie?: string;
}

export interface Harness extends Browser {
  app: ReturnType<typeof createApp>;
  store: Store;
  clock: TestClock;
  outbox: DevOutbox;
  usage: UsageRecorder;
  /** This instance's verified-key index and its revocation watch, started. */
  verifiedKeys: RevocationWatch;
  /** Drained after every `call`, so a test sees a request's mail as soon as it answers. */
  mail: MailQueue;
  config: AppConfig;
  dir: string;
  /** The SQLite file; no file on PostgreSQL runs. */
  dbPath: string;
  /** Another browser on the same server, with an empty cookie jar. */
  newBrowser(): Browser;
  /** Sign up, follow the mailed link in this browser and keep the session cookie. */
  signUpVerified(email?: string, password?: string): Promise<{ id: string; email: string }>;
  /** The link token in the newest mail to `email`. */
  lastToken(email: string): string;
  /** The 6-digit code in the newest mail to `email`. */
  lastCode(email: string): string;
  /** Every stored byte (SQLite: the database files; PostgreSQL: every value of every row), to check no secret is stored in clear. */
  databaseBytes(): Promise<Buffer>;
  /** Every row of every table but the limiters' counters, to compare before and after. */
  databaseSnapshot(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real app with the dev outbox and a test clock, on this run's store (PERSO_TEST_STORE): a real
 * SQLite file in a temp folder, or a PostgreSQL database of its own with the shared rate limiter.
 */
export function createHarness(
  options: {
    config?: AppConfig;
    mailer?: Mailer;
    dir?: string;
    clock?: TestClock;
    limits?: (clock: TestClock) => RateLimits;
    oauth?: OAuthClients;
    /** PostgreSQL runs: serve from this database, as another instance of the same server would (its creator drops it). */
    database?: TestDatabase;
  } = {},
): Harness {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'perso-test-'));
  const dbPath = join(dir, 'perso.db');
  const clock = options.clock ?? new TestClock();
  if (options.database && !onPostgres) throw new Error('a shared database is for PostgreSQL runs');
  const backing = onPostgres ? openPostgresTestStore(options.database) : openSqliteTestStore(dbPath);
  const store = backing.store;
  const outbox = new DevOutbox(clock.now, () => {});
  const config = options.config ?? testConfig();
  const usage = new UsageRecorder(store, clock, () => {});
  const mail = new MailQueue(store, options.mailer ?? outbox, clock, () => {});
  // This instance's lease (and on PostgreSQL its listener), as main.ts starts them; until started, the index stays off.
  const verifiedKeys: RevocationWatch = backing.sql
    ? new PostgresRevocationWatch(backing.sql, store, { log: () => {} })
    : new SqliteRevocationWatch(store as SqliteStore, { log: () => {} });
  const watching = verifiedKeys.start().catch((error) => console.error('the key index watch did not start', error));
  const app = createApp({
    store,
    mailer: options.mailer ?? outbox,
    mailQueue: mail,
    outbox,
    config,
    clock,
    usage,
    limits: options.limits?.(clock) ?? (backing.sql ? createPostgresRateLimits(backing.sql, clock) : createRateLimits(clock)),
    verifiedKeys,
    oauth: options.oauth,
    log: () => {},
  });
  const lastMail = (email: string) => {
    const message = outbox.messages.find((m) => m.to === email);
    if (!message) throw new Error(`no mail to ${email}`);
    return message;
  };

  function newBrowser(): Browser {
    const b: Browser = {
      async call(method, path, body, headers = {}) {
        const jar = [b.cookie, b.signupCookie, b.oauthCookie].filter(Boolean).join('; ');
        const init: RequestInit = { method, headers: { origin: ORIGIN, ...(jar ? { cookie: jar } : {}), ...headers } };
        if (body !== undefined) {
          init.body = typeof body === 'string' ? body : JSON.stringify(body);
          (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
        }
        const response = await app.request(path, init, LOOPBACK_PEER);
        for (const setCookie of response.headers.getSetCookie()) {
          const value = setCookie.split(';')[0]!;
          if (value.startsWith('perso_session=')) b.cookie = value === 'perso_session=' ? undefined : value;
          if (value.startsWith('perso_signup=')) b.signupCookie = value;
          if (value.startsWith('perso_oauth=')) b.oauthCookie = value;
        }
        await mail.drain();
        return response;
      },
      submitForm: (path, fields) =>
        b.call('POST', path, new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' }),
    };
    return b;
  }
  const defaultBrowser = newBrowser();

  const h: Harness = {
    app,
    store,
    verifiedKeys,
    clock,
    outbox,
    usage,
    mail,
    config,
    dir,
    dbPath,
    call: (...args) => defaultBrowser.call(...args),
    submitForm: (...args) => defaultBrowser.submitForm(...args),
    get cookie() {
      return defaultBrowser.cookie;
    },
    set cookie(value) {
      defaultBrowser.cookie = value;
    },
    get signupCookie() {
      return defaultBrowser.signupCookie;
    },
    set signupCookie(value) {
      defaultBrowser.signupCookie = value;
    },
    newBrowser,
    lastToken(email) {
      return new URL(lastMail(email).links[0]!).searchParams.get('token')!;
    },
    lastCode(email) {
      const code = /\b(\d{6})\b/.exec(lastMail(email).text)?.[1];
      if (!code) throw new Error(`no code in the mail to ${email}`);
      return code;
    },
    async signUpVerified(email = `user${Math.random().toString(16).slice(2)}@example.com`, password = 'correct horse battery') {
      const signup = await h.call('POST', '/api/signup', { email, password });
      if (signup.status !== 202) throw new Error(`sign-up answered ${signup.status}`);
      const verified = await h.call('POST', '/api/verify-email', { token: h.lastToken(email) });
      if (verified.status !== 200) throw new Error(`verification answered ${verified.status}`);
      const { user } = (await verified.json()) as { user: { id: string; email: string } };
      return user;
    },
    databaseBytes: () => backing.bytes(),
    databaseSnapshot: () => backing.snapshot(),
    async close() {
      await usage.stop();
      await mail.stop();
      await watching;
      await verifiedKeys.stop();
      await backing.dispose();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
