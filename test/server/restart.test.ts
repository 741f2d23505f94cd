import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/store.js';
import { expectError } from './expect.js';
import { createHarness, type Harness, TestClock } from './helpers.js';

const HOUR = 3_600_000;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let dir: string;
const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const harness = (clock: TestClock) => {
  const h = createHarness({ dir, clock });
  open.push(h);
  return h;
};

describe('restart on the same database', () => {
  it('keeps accounts, sessions, pending links and used links', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perso-restart-'));
    const clock = new TestClock();
    const before = harness(clock);
    const ada = await before.signUpVerified('ada@example.com', 'correct horse battery');
    const cookie = before.cookie!;
    const binding = before.signupCookie!;
    const usedToken = before.lastToken('ada@example.com');
    await before.call('POST', '/api/signup', { email: 'grace@example.com', password: 'grace password' });
    const pendingToken = before.lastToken('grace@example.com');
    const key = (await (await before.call('POST', '/api/keys', { name: 'survives' })).json()) as { key: { id: string } };
    await before.close();
    open.length = 0;

    clock.advance(HOUR);
    const after = harness(clock);
    after.cookie = cookie;
    after.signupCookie = binding;
    expect(await (await after.call('GET', '/api/session')).json()).toMatchObject({ user: { id: ada.id, email: 'ada@example.com', emailVerified: true } });
    expect(await (await after.call('GET', '/api/keys')).json()).toMatchObject({ keys: [{ id: key.key.id, name: 'survives' }] });
    await expectError(await after.call('POST', '/api/verify-email', { token: usedToken }), 400, 'invalid_token');

    after.cookie = undefined;
    expect((await after.call('POST', '/api/signin', { email: 'ada@example.com', password: 'correct horse battery' })).status).toBe(200);
    after.cookie = undefined;
    const grace = await after.call('POST', '/api/verify-email', { token: pendingToken });
    expect(grace.status).toBe(200);
    after.cookie = undefined;
    expect((await after.call('POST', '/api/signin', { email: 'grace@example.com', password: 'grace password' })).status).toBe(200);
  });

  it('sends after a restart the mail queued before it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perso-restart-'));
    const clock = new TestClock();
    const before = harness(clock);
    // Queued, then the process stops before its worker ran.
    await before.store.enqueueMail({ id: '0001', to: 'queued@example.com', subject: 'Queued', text: 't', html: '<p>t</p>', links: [], createdAt: clock.now() });
    await before.close();
    open.length = 0;
    const after = harness(clock);
    await after.mail.drain();
    expect(after.outbox.messages.map((m) => m.to)).toEqual(['queued@example.com']);
  });

  it('keeps a signed-out session gone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perso-restart-'));
    const clock = new TestClock();
    const before = harness(clock);
    await before.signUpVerified('ada@example.com');
    const cookie = before.cookie!;
    expect((await before.call('POST', '/api/signout')).status).toBe(204);
    await before.close();
    open.length = 0;

    const after = harness(clock);
    after.cookie = cookie;
    await expectError(await after.call('GET', '/api/session'), 401, 'unauthenticated');
  });
});

/** A free local port, for a server started in a child process. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

/** `tsx server/main.ts` in an empty folder, with only the variables given (no perso.config.json, no SMTP). */
function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'server/main.ts')], {
    cwd: dir,
    env: { PATH: process.env.PATH!, HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('server/main.ts', () => {
  it('serves, and on SIGTERM closes cleanly with exit code 0 and its writes on disk', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perso-main-'));
    const port = await freePort();
    const dbPath = join(dir, 'data', 'perso.db');
    const server = startServer({ PERSO_PORT: String(port), PERSO_DB: dbPath, PERSO_DEMO: 'false' });
    try {
      const deadline = Date.now() + 8_000;
      while (!server.output().includes('Perso server on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(server.output()).toContain(`Perso server on http://localhost:${port}`);

      const base = `http://127.0.0.1:${port}`;
      const signup = await fetch(`${base}/api/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
      });
      expect(signup.status).toBe(202);
      const { attempt } = (await signup.json()) as { attempt: string };
      // The mail leaves from the queue just after the answer.
      let outbox: { messages: { text: string }[] } = { messages: [] };
      for (let i = 0; i < 100 && outbox.messages.length === 0; i++) {
        outbox = (await (await fetch(`${base}/api/dev/outbox`)).json()) as typeof outbox;
        if (!outbox.messages.length) await new Promise((r) => setTimeout(r, 20));
      }
      const code = /Verification code: (\d{6})/.exec(outbox.messages[0]!.text)![1];
      const verified = await fetch(`${base}/api/verify-email`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ attempt, code }) });
      expect(verified.status).toBe(200);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('SIGTERM: finishing requests and closing');
    } finally {
      server.child.kill('SIGKILL');
    }
    const store = openSqliteStore(dbPath);
    expect(await store.findUserByEmail('ada@example.com')).toMatchObject({ emailVerifiedAt: expect.any(Number) });
    await store.close();
  });

  it('refuses to start on a bad variable, naming it, with exit code 1', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perso-main-'));
    const server = startServer({ PERSO_PORT: 'abc', PERSO_DEMO: 'false' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/Invalid configuration:\n {2}- PERSO_PORT: /);
  });
});
