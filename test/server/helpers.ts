import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app.js';
import { createRateLimits, type RateLimits } from '../../server/auth/rate-limit.js';
import { UsageRecorder } from '../../server/auth/usage-recorder.js';
import type { Clock } from '../../server/clock.js';
import { type AppConfig, loadConfig } from '../../server/config.js';
import { DevOutbox } from '../../server/mail/dev-outbox.js';
import type { Mailer } from '../../server/mail/mailer.js';
import { openSqliteStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/types.js';

export const ORIGIN = 'http://localhost:8787';

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

export interface Harness {
  app: ReturnType<typeof createApp>;
  store: Store;
  clock: TestClock;
  outbox: DevOutbox;
  usage: UsageRecorder;
  config: AppConfig;
  dir: string;
  dbPath: string;
  /** `app.request` with JSON body, Origin and the harness's cookie jar. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  cookie?: string;
  /** Sign up, follow the mailed link and keep the session cookie. */
  signUpVerified(email?: string, password?: string): Promise<{ id: string; email: string }>;
  /** The token in the newest mail to `email`. */
  lastToken(email: string): string;
  /** Raw bytes of every database file, to check no secret is stored in clear. */
  databaseBytes(): Buffer;
  close(): Promise<void>;
}

/** A real app on a real SQLite file in a temp folder, with the dev outbox and a test clock. */
export function createHarness(options: { config?: AppConfig; mailer?: Mailer; dir?: string; clock?: TestClock; limits?: (clock: TestClock) => RateLimits } = {}): Harness {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'perso-test-'));
  const dbPath = join(dir, 'perso.db');
  const clock = options.clock ?? new TestClock();
  const store = openSqliteStore(dbPath);
  const outbox = new DevOutbox(clock.now, () => {});
  const config = options.config ?? testConfig();
  const usage = new UsageRecorder(store, clock, () => {});
  const app = createApp({ store, mailer: options.mailer ?? outbox, outbox, config, clock, usage, limits: options.limits?.(clock) ?? createRateLimits(clock), log: () => {} });

  const h: Harness = {
    app,
    store,
    clock,
    outbox,
    usage,
    config,
    dir,
    dbPath,
    async call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { origin: ORIGIN, ...(h.cookie ? { cookie: h.cookie } : {}), ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const response = await app.request(path, init);
      for (const setCookie of response.headers.getSetCookie()) {
        if (!setCookie.startsWith('perso_session=')) continue;
        const value = setCookie.split(';')[0]!;
        h.cookie = value === 'perso_session=' ? undefined : value;
      }
      return response;
    },
    lastToken(email) {
      const message = outbox.messages.find((m) => m.to === email);
      if (!message) throw new Error(`no mail to ${email}`);
      return new URL(message.links[0]!).searchParams.get('token')!;
    },
    async signUpVerified(email = `user${Math.random().toString(16).slice(2)}@example.com`, password = 'correct horse battery') {
      const signup = await h.call('POST', '/api/signup', { email, password });
      if (signup.status !== 202) throw new Error(`sign-up answered ${signup.status}`);
      const verified = await h.call('POST', '/api/verify-email', { token: h.lastToken(email) });
      const { user } = (await verified.json()) as { user: { id: string; email: string } };
      return user;
    },
    databaseBytes() {
      return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('perso.db')).map((f) => readFileSync(join(dir, f))));
    },
    async close() {
      await usage.stop();
      await store.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
