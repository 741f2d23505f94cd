import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  url: string;
  dir: string;
  output: () => string;
  stop(): Promise<void>;
}

/** A free loopback port, for a server whose URL others must know before it starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real server (`tsx server/main.ts`, as `npm start` runs it) on a free loopback port with a
 * fresh SQLite file and the dev outbox. Uses the kit already built in dist/. `env.PERSO_PORT`
 * picks the port (a provider's redirect URI names it before the server starts).
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = env.PERSO_PORT ? Number(env.PERSO_PORT) : await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'perso-e2e-'));
  const url = `http://localhost:${port}`;
  let log = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, NODE_ENV: 'development', PERSO_PORT: String(port), PERSO_HOST: '127.0.0.1', PERSO_PUBLIC_URL: url, PERSO_DB: join(dir, 'perso.db'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      if ((await fetch(`${url}/api/session`)).status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start in 20 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    dir,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface OutboxMessage {
  to: string;
  subject: string;
  text: string;
  links: string[];
}

/** The newest mail to `email` with a link containing `linkPart`, polling the dev outbox briefly (mail leaves from a queue). */
async function newestMail(serverUrl: string, email: string, linkPart: string): Promise<OutboxMessage> {
  for (let i = 0; i < 50; i++) {
    const { messages } = (await (await fetch(`${serverUrl}/api/dev/outbox`)).json()) as { messages: OutboxMessage[] };
    const mail = messages.find((m) => m.to === email && m.links.some((l) => l.includes(linkPart)));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${email} with a ${linkPart} link`);
}

/** The newest verification link mailed to `email`. */
export const verificationLink = async (serverUrl: string, email: string): Promise<string> =>
  (await newestMail(serverUrl, email, '/verify-email?token=')).links.find((l) => l.includes('/verify-email?token='))!;

/** The 6-digit code of the newest verification mail to `email`. */
export const verificationCode = async (serverUrl: string, email: string): Promise<string> =>
  /Verification code: (\d{6})/.exec((await newestMail(serverUrl, email, '/verify-email?token=')).text)![1]!;

/** The newest password reset link mailed to `email`. */
export const resetLink = async (serverUrl: string, email: string): Promise<string> =>
  (await newestMail(serverUrl, email, '/reset-password?token=')).links[0]!;

/** Signs up and verifies through the HTTP API; returns the session cookie value. */
export async function signUpVerifiedByApi(serverUrl: string, email: string, password: string): Promise<string> {
  const signup = await fetch(`${serverUrl}/api/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: serverUrl },
    body: JSON.stringify({ email, password }),
  });
  if (signup.status !== 202) throw new Error(`sign-up answered ${signup.status}`);
  const { attempt } = (await signup.json()) as { attempt: string };
  const verify = await fetch(`${serverUrl}/api/verify-email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: serverUrl },
    body: JSON.stringify({ attempt, code: await verificationCode(serverUrl, email) }),
  });
  if (verify.status !== 200) throw new Error(`verification answered ${verify.status}`);
  return verify.headers.getSetCookie()[0]!.split(';')[0]!.split('=')[1]!;
}
