/**
 * Our `/v1/whoami` against better-auth's API-key verify (bench/better-auth/server.mjs), same
 * machine, same load: 50 connections, one key per connection, one user owning the 50 keys on
 * both sides. Both processes stay up; one at a time is loaded, in turn (whoami, better-auth,
 * whoami, …), after each has answered WARMUP_REQUESTS; medians.
 *
 * better-auth is installed into a scratch folder outside the repo's node_modules
 * (os.tmpdir()/perso-bench-better-auth) from bench/better-auth/package.json and its lock, and
 * reused while both match.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LoadResult, LoadSpec } from './load.js';
import { runLoad } from './run-load.js';
import { type BenchOptions, goal, median, type Section } from './section.js';
import { seedDatabase } from './seed.js';
import { freePort, startServer } from './server-process.js';

const CONNECTIONS = 50;
/**
 * Requests each server answers before the measured runs. better-auth's verify runs through much
 * more code and keeps getting cheaper for its first ~6,000 calls (1.2–1.6 ms CPU each after,
 * 2.5 ms at first); a warm-up of seconds would have measured its JIT warming up.
 */
const WARMUP_REQUESTS = 10_000;
const GOAL = 25;
const SOURCE = fileURLToPath(new URL('./better-auth/', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCRATCH = join(tmpdir(), 'perso-bench-better-auth');
const MANIFESTS = ['package.json', 'package-lock.json'];
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

const log = (line: string) => process.stdout.write(`${line}\n`);
const fixed = (n: number, digits = 3) => n.toFixed(digits);
const exec = promisify(execFile);

interface Install {
  folder: string;
  reused: boolean;
  /** How long `npm install` took; 0 when the folder was reused. */
  seconds: number;
}

/** Installs (or reuses) better-auth in the scratch folder; prints what it does. */
async function ensureBetterAuth(): Promise<Install> {
  const same = (file: string) => existsSync(join(SCRATCH, file)) && readFileSync(join(SCRATCH, file), 'utf8') === readFileSync(join(SOURCE, file), 'utf8');
  if (MANIFESTS.every(same) && existsSync(join(SCRATCH, 'node_modules', '.package-lock.json'))) {
    log(`  better-auth: reusing ${SCRATCH} (its package.json and lock match bench/better-auth/)`);
    return { folder: SCRATCH, reused: true, seconds: 0 };
  }
  // Installs race on this machine: wait for any other npm install to finish first.
  for (let waited = 0; ; waited += 5) {
    const { stdout } = await exec('pgrep', ['-af', 'npm (install|ci)']).catch(() => ({ stdout: '' }));
    if (!stdout.trim()) break;
    if (waited >= 600) throw new Error(`Another npm install has been running for 10 minutes:\n${stdout}`);
    if (waited % 30 === 0) log(`  better-auth: waiting for another npm install to finish: ${stdout.trim().split('\n')[0]}`);
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  log(`  better-auth: installing bench/better-auth/package.json into ${SCRATCH} (npm install --no-audit --no-fund)…`);
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(SCRATCH, { recursive: true });
  for (const file of MANIFESTS) cpSync(join(SOURCE, file), join(SCRATCH, file));
  const started = performance.now();
  await exec('npm', ['install', '--no-audit', '--no-fund'], { cwd: SCRATCH, maxBuffer: 1 << 22 });
  const seconds = (performance.now() - started) / 1000;
  log(`  better-auth: installed in ${fixed(seconds, 1)} s`);
  return { folder: SCRATCH, reused: false, seconds };
}

const versionIn = (folder: string, name: string) =>
  (JSON.parse(readFileSync(join(folder, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

function versions(scratch: string): Record<string, string> {
  return {
    node: process.version,
    ...Object.fromEntries(['better-auth', '@better-auth/api-key', '@better-auth/core', 'better-call', 'kysely'].map((n) => [n, versionIn(scratch, n)])),
    // Both servers run on the repo's copies of these.
    ...Object.fromEntries(['hono', '@hono/node-server', 'better-sqlite3'].map((n) => [n, versionIn(ROOT, n)])),
  };
}

interface Measured {
  url: string;
  cpuSeconds(): number;
  stop(): Promise<unknown>;
}

/** bench/better-auth/server.mjs on a fresh SQLite file, with `keys` keys of one user. */
async function startBetterAuth(scratch: string, dbPath: string, keys: number): Promise<Measured & { keys: string[] }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(SOURCE, 'server.mjs')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', BA_SCRATCH: scratch, BA_DB: dbPath, BA_PORT: String(port), BA_KEYS: String(keys) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('better-auth server on')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    void exited.then((code) => reject(new Error(`The better-auth server exited (${code}) before listening:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    keys: JSON.parse(/^keys (.*)$/m.exec(output)![1]!) as string[],
    cpuSeconds() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

interface Run extends LoadResult {
  serverCpu: number;
  serverCpuMicrosPerRequest: number;
  loadAverage: number;
}

async function measure(server: Measured, spec: LoadSpec, label: string): Promise<Run> {
  const cpuBefore = server.cpuSeconds();
  const started = performance.now();
  const result = await runLoad(spec);
  const cpu = server.cpuSeconds() - cpuBefore;
  const serverCpu = cpu / ((performance.now() - started) / 1000);
  const serverCpuMicrosPerRequest = (cpu * 1e6) / result.total;
  // A benchmark of refusals is meaningless: every answer must be a 200.
  if (result.ok !== result.total || result.non2xx || result.errors || !result.total) {
    throw new Error(`${label}: ${result.total} requests, ${result.ok} 2xx, statuses ${JSON.stringify(result.statuses)}, ${result.errors} errors`);
  }
  log(
    `    ${label.padEnd(22)} ${fixed(result.requestsPerSecond, 0).padStart(6)} req/s  p99 ${String(result.latencyMs.p99).padStart(3)} ms  ` +
      `server ${fixed(serverCpu * 100, 0).padStart(3)}% CPU, ${fixed(serverCpuMicrosPerRequest, 0)} µs CPU/request  load ${fixed(loadavg()[0]!, 2)}`,
  );
  return { ...result, serverCpu, serverCpuMicrosPerRequest, loadAverage: loadavg()[0]! };
}

const summary = (runs: Run[]) => ({
  rps: median(runs.map((r) => r.requestsPerSecond)),
  cpuMicrosPerRequest: median(runs.map((r) => r.serverCpuMicrosPerRequest)),
  p99: median(runs.map((r) => r.latencyMs.p99)),
  serverCpu: median(runs.map((r) => r.serverCpu)),
});

async function compare(options: BenchOptions) {
  const install = await ensureBetterAuth();
  const dir = mkdtempSync(join(tmpdir(), 'perso-bench-ba-'));
  const servers: Measured[] = [];
  try {
    const seed = await seedDatabase(join(dir, 'perso.db'), { users: 1, keys: CONNECTIONS, sample: CONNECTIONS });
    const ours = await startServer(seed.path);
    servers.push(ours);
    const theirs = await startBetterAuth(install.folder, join(dir, 'better-auth.db'), CONNECTIONS);
    servers.push(theirs);
    const load = { connections: CONNECTIONS, durationSeconds: options.durationSeconds };
    const whoami: LoadSpec = { ...load, url: `${ours.url}/v1/whoami`, authorizations: seed.secrets.map((s) => `Bearer ${s}`) };
    const verify: LoadSpec = { ...load, url: `${theirs.url}/verify`, authorizations: theirs.keys.map((k) => `Bearer ${k}`) };

    await measure(ours, { ...whoami, amount: WARMUP_REQUESTS }, 'warm-up whoami');
    await measure(theirs, { ...verify, amount: WARMUP_REQUESTS }, 'warm-up better-auth');
    const whoamiRuns: Run[] = [];
    const verifyRuns: Run[] = [];
    for (let i = 1; i <= options.runs; i++) {
      whoamiRuns.push(await measure(ours, whoami, `whoami #${i}`));
      verifyRuns.push(await measure(theirs, verify, `better-auth verify #${i}`));
    }
    return { install, whoamiRuns, verifyRuns, whoami: summary(whoamiRuns), verify: summary(verifyRuns) };
  } finally {
    for (const server of servers) await server.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

export const betterAuthSection: Section = {
  name: 'better-auth',
  async run(options) {
    log(`\n== whoami vs better-auth API-key verify: ${CONNECTIONS} connections (one key each), ${options.durationSeconds} s runs, ${options.runs} per server, interleaved, medians ==`);
    const { install, whoamiRuns, verifyRuns, whoami, verify } = await compare(options);
    const used = versions(install.folder);
    const ratio = whoami.rps / verify.rps;
    const cpuRatio = verify.cpuMicrosPerRequest / whoami.cpuMicrosPerRequest;
    log(
      `    medians: whoami ${fixed(whoami.rps, 0)} req/s, ${fixed(whoami.cpuMicrosPerRequest, 1)} µs CPU/request; better-auth ${fixed(verify.rps, 0)} req/s, ` +
        `${fixed(verify.cpuMicrosPerRequest, 1)} µs CPU/request → ${fixed(ratio, 2)}× (req/s), ${fixed(cpuRatio, 2)}× (CPU/request)`,
    );
    log(`    versions: ${Object.entries(used).map(([n, v]) => `${n} ${v}`).join(', ')}`);
    return {
      name: 'better-auth',
      goals: [
        goal(
          'whoami ÷ better-auth verify',
          ratio,
          '>=',
          GOAL,
          `median req/s of our GET /v1/whoami ÷ of GET /verify calling better-auth ${used['better-auth']}'s auth.api.verifyApiKey (@better-auth/api-key ${used['@better-auth/api-key']}, ` +
            `SQLite, its per-key rate limiter disabled), both on Hono + @hono/node-server, ${CONNECTIONS} connections with one key each, one user; ` +
            `from server CPU per request instead: ${fixed(cpuRatio, 2)} (${fixed(verify.cpuMicrosPerRequest, 1)} ÷ ${fixed(whoami.cpuMicrosPerRequest, 1)} µs)`,
        ),
      ],
      details: {
        connections: CONNECTIONS,
        warmupRequests: WARMUP_REQUESTS,
        durationSeconds: options.durationSeconds,
        runs: options.runs,
        versions: used,
        install,
        betterAuthConfig: 'database: better-sqlite3 (WAL, synchronous=NORMAL, as our store), emailAndPassword enabled (to create the user), telemetry off, apiKey({ rateLimit: { enabled: false } }); everything else default',
        median: { whoami, betterAuth: verify, ratio, cpuRatio },
        whoami: whoamiRuns,
        betterAuth: verifyRuns,
      },
    };
  },
};
