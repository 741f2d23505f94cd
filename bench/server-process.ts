/** The real reference server (`server/main.ts`) in its own process, as `npm start` runs it minus the demo. */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ServerProcess {
  url: string;
  /** CPU seconds the server process has used so far (Linux /proc), NaN elsewhere. */
  cpuSeconds(): number;
  /**
   * CPU seconds so far of the server's main thread (its event loop, plus V8's work on it) and of
   * all its other threads together (password hashing, libuv's pool, GC helpers), Linux /proc.
   */
  threadCpuSeconds(): { main: number; others: number };
  /** Resident memory now, in bytes (Linux /proc), NaN elsewhere or once the process is gone. */
  rssBytes(): number;
  /** False once the process has exited, whatever the reason. */
  alive(): boolean;
  /** Everything it printed. */
  output(): string;
  /** SIGTERM and wait: the server flushes pending key usage before it exits. */
  stop(): Promise<number | null>;
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });

/** Starts the server on `dbPath`; `env` adds or overrides variables (e.g. PERSO_TRUST_PROXY). */
export async function startServer(dbPath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PERSO_PORT: String(port),
      PERSO_HOST: '127.0.0.1',
      PERSO_DB: dbPath,
      PERSO_DEMO: 'false',
      NODE_ENV: 'production',
      PERSO_CONFIG: '',
      SMTP_URL: '',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Perso server on')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    void exited.then((code) => reject(new Error(`The server exited (${code}) before listening:\n${output}`)));
  });

  return {
    url: `http://127.0.0.1:${port}`,
    cpuSeconds() {
      try {
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      } catch {
        return Number.NaN;
      }
    },
    threadCpuSeconds() {
      const ticks = (path: string) => {
        const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
        return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      };
      try {
        const main = ticks(`/proc/${child.pid}/task/${child.pid}/stat`);
        let others = 0;
        for (const tid of readdirSync(`/proc/${child.pid}/task`)) {
          if (tid !== String(child.pid)) {
            try {
              others += ticks(`/proc/${child.pid}/task/${tid}/stat`);
            } catch {
              // A thread that ended between the listing and the read.
            }
          }
        }
        return { main, others };
      } catch {
        return { main: Number.NaN, others: Number.NaN };
      }
    },
    rssBytes() {
      try {
        const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
        return line ? Number(line[1]) * 1024 : Number.NaN;
      } catch {
        return Number.NaN;
      }
    },
    alive: () => running,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`The server exited with ${code}:\n${output}`);
      return code;
    },
  };
}
