/**
 * Several server processes on one PostgreSQL (API.md §8): what is made on one instance works
 * on the others, limits and usage add up, and a key deleted through one fails on every other
 * for every request that starts after the deletion's 204 — under load, and with the other
 * instance's listener connection killed.
 *
 * P's in-process suite (across-instances.postgres.test.ts) covers sessions, codes, lockouts and
 * usage on two apps; here they are real processes behind different ports, as behind a balancer.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../../server/store/postgres/store.js';
import { createTestDatabase, type TestDatabase } from '../store/test-stores.js';
import { startSmtpSink } from '../smtp-sink.js';
import { createKeyThrough, deleteDuringStream, seedAccount, type ServerProcess, sessionCall, signIn, sleep, startServer, whoamiStatus } from './cluster.js';

describe('three server processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresStore;
  let admin: postgres.Sql;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let c: ServerProcess;
  let cookie: string;
  let account: Awaited<ReturnType<typeof seedAccount>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await openPostgresStore(db.url);
    admin = postgres(db.url, { max: 1, onnotice: () => {} });
    smtp = await startSmtpSink();
    account = await seedAccount(store);
    // Each instance names its connections, so that the test can find B's listener.
    const env = (name: string) => ({ DATABASE_URL: `${db.url}?application_name=perso-${name}`, SMTP_URL: smtp.url, PERSO_DB: '' });
    [a, b, c] = await Promise.all([startServer('', env('a')), startServer('', env('b')), startServer('', env('c'))]);
    cookie = await signIn(a.url, account);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
    await admin?.end();
    await store?.close();
    await smtp?.close();
    await db?.drop();
  });

  const createKey = (name: string) => createKeyThrough(a.url, cookie, name);

  it('a key created through A works on B and C; deleted through A, no request to B that starts after the 204 is answered 200', async () => {
    const { key, secret } = await createKey('across instances');
    expect([await whoamiStatus(b.url, secret)(), await whoamiStatus(c.url, secret)()]).toEqual([200, 200]);

    const run = await deleteDuringStream({ deleter: { url: a.url, cookie }, keyId: key.id, request: whoamiStatus(b.url, secret) });
    expect(run.deleteStatus).toBe(204);
    expect(run.errors).toEqual([]);
    expect(run.before.length).toBeGreaterThan(5);
    expect(run.before.every((s) => s.status === 200)).toBe(true);
    expect(run.after.length).toBeGreaterThan(5);
    expect(run.after.filter((s) => s.status === 200)).toEqual([]);
    expect(await whoamiStatus(c.url, secret)()).toBe(401);
  }, 30_000);

  it("with B's listener connection killed over and over, the deletion still leaves no 200 after its 204", async () => {
    const { key, secret } = await createKey('listener killed');
    expect(await whoamiStatus(b.url, secret)()).toBe(200);
    const killListener = () => admin<{ pid: number }[]>`
      SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'perso-b' AND query ILIKE 'listen%'`;
    expect((await killListener()).length).toBe(1);
    // postgres resubscribes within milliseconds: kill it again and again so that the deletion's
    // notification is likely lost, and B learns of it only at its next lease renewal.
    let killing = true;
    let kills = 1;
    const killer = (async () => {
      while (killing) {
        kills += (await killListener()).length;
        await sleep(20);
      }
    })();
    const run = await deleteDuringStream({ deleter: { url: a.url, cookie }, keyId: key.id, request: whoamiStatus(b.url, secret), aroundMs: 300 });
    killing = false;
    await killer;
    expect(kills).toBeGreaterThan(3);
    expect(run.deleteStatus).toBe(204);
    expect(run.errors).toEqual([]);
    expect(run.before.length).toBeGreaterThan(5);
    expect(run.after.length).toBeGreaterThan(5);
    expect(run.after.filter((s) => s.status === 200)).toEqual([]);

    // The listener comes back by itself once left alone.
    let listening = 0;
    for (let i = 0; i < 50 && listening === 0; i++, await sleep(100)) {
      [{ n: listening }] = await admin<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'perso-b' AND query ILIKE 'listen%'`;
    }
    expect(listening).toBe(1);
  }, 30_000);

  it('a session made on A works on B, and signing out on B ends it on A', async () => {
    const session = await signIn(a.url, account);
    const onB = await sessionCall(b.url, session, 'GET', '/api/session');
    expect(onB.status).toBe(200);
    expect(((await onB.json()) as { user: { email: string } }).user.email).toBe(account.email);
    expect((await sessionCall(b.url, session, 'POST', '/api/signout')).status).toBe(204);
    expect((await sessionCall(a.url, session, 'GET', '/api/session')).status).toBe(401);
  });

  it('a code mailed through A completes the sign-up on B, in the same browser', async () => {
    const email = `code-${Date.now()}@example.com`;
    const started = await fetch(`${a.url}/api/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: a.url },
      body: JSON.stringify({ email, password: 'a long enough password' }),
    });
    expect(started.status).toBe(202);
    const { attempt } = (await started.json()) as { attempt: string };
    const browser = started.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const { mail } = await smtp.mailTo(email);
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')![1]!;
    const verified = await fetch(`${b.url}/api/verify-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: b.url, cookie: browser },
      body: JSON.stringify({ attempt, code }),
    });
    expect(verified.status).toBe(200);
  }, 30_000);

  it('sign-in failures for one email count across instances', async () => {
    const wrong = (server: ServerProcess) =>
      fetch(`${server.url}/api/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ email: account.email, password: 'not the password' }),
      }).then((r) => r.status);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await wrong([a, b, c][i % 3]!));
    // 5 wrong passwords per email and address, wherever they land; then 429 on every instance.
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  }, 30_000);

  it('uses counted on every instance add up, none lost', async () => {
    const { key, secret } = await createKey('usage');
    const uses = { a: 37, b: 23, c: 11 };
    for (const [server, n] of [[a, uses.a], [b, uses.b], [c, uses.c]] as const) {
      for (let i = 0; i < n; i++) expect(await whoamiStatus(server.url, secret)()).toBe(200);
    }
    await sleep(3_500); // one flush interval on every instance
    const rows = await store.apiKeyUsage(account.userId, '2000-01-01');
    expect(rows.filter((r) => r.keyId === key.id).reduce((n, r) => n + r.count, 0)).toBe(uses.a + uses.b + uses.c);
  }, 30_000);
});
