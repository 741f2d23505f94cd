/**
 * The server under hostile load (issue 11), each figure from one run of the real server:
 * - memory: RSS after a flood of sign-ins, each from a new forwarded client (a new IPv6 /64)
 *   with a new email, ÷ RSS at start, and whether the process survived;
 * - starvation: /v1/whoami and /kit/perso-kit.js p99 at a steady rate while 64 clients flood
 *   sign-in, ÷ the same idle, measured side by side on one server;
 * - key list: the event-loop block of one GET /api/keys at the cap (100 keys, 30 days of use each).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { measureKeyList } from './key-list.js';
import type { LoadResult, LoadSpec } from './load.js';
import { runLoad } from './run-load.js';
import { goal, type Section } from './section.js';
import { seedDatabase } from './seed.js';
import { type ServerProcess, startServer } from './server-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FLOOD_CONNECTIONS = 64;
/** The steady load whose latency is compared: a few clients at a rate the idle server meets easily. */
const STEADY = { connections: 4, overallRate: 200 };
const MEASURE_SECONDS = 10;
/** Lets the flood fill the hashing queue before latency is measured under it. */
const RAMP_SECONDS = 2;
/** The proxy in front is the bench itself (127.0.0.1); it names a new client in every request. */
const BEHIND_ONE_PROXY = { PERSO_TRUST_PROXY: '1' };

const log = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => bytes / 1024 / 1024;
const fixed = (n: number, digits = 2) => n.toFixed(digits);

async function withDatabase<T>(work: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'perso-bench-'));
  try {
    return await work(join(dir, 'perso.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const summary = (r: LoadResult) => `${r.total} requests, statuses ${JSON.stringify(r.statuses)}, p99 ${r.latencyMs.p99} ms`;

async function memoryUnderFlood(requests: number) {
  return withDatabase(async (path) => {
    await seedDatabase(path, { keys: 1, users: 1, sample: 1 });
    const server = await startServer(path, BEHIND_ONE_PROXY);
    try {
      const startRss = server.rssBytes();
      let peakRss = startRss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rssBytes() || 0)), 500);
      const started = performance.now();
      let flood: LoadResult;
      try {
        flood = await runLoad({ url: `${server.url}/api/signin`, connections: FLOOD_CONNECTIONS, durationSeconds: 3600, amount: requests, signInFlood: { firstIndex: 0 } });
      } finally {
        clearInterval(sampler);
      }
      const seconds = (performance.now() - started) / 1000;
      const alive = server.alive() && (await fetch(`${server.url}/health`).then((r) => r.ok, () => false));
      const endRss = server.rssBytes();
      log(`    flood: ${summary(flood)} in ${fixed(seconds, 0)} s`);
      log(`    RSS ${fixed(mib(startRss), 0)} MiB at start → ${fixed(mib(endRss), 0)} MiB after (peak ${fixed(mib(peakRss), 0)} MiB); alive: ${alive}`);
      return { requests: flood.total, seconds, startRss, endRss, peakRss, ratio: endRss / startRss, alive, statuses: flood.statuses, errors: flood.errors };
    } finally {
      await server.stop().catch(() => {});
    }
  });
}

async function ensureKitBuilt(): Promise<void> {
  if (existsSync(join(ROOT, 'dist/perso-kit.js'))) return;
  log('    building the kit (dist/ is missing)…');
  await promisify(execFile)('npm', ['run', 'build:kit', '--silent'], { cwd: ROOT });
}

async function starvation() {
  await ensureKitBuilt();
  return withDatabase(async (path) => {
    const seed = await seedDatabase(path, { keys: 10, users: 10, sample: STEADY.connections });
    const server: ServerProcess = await startServer(path, { ...BEHIND_ONE_PROXY, PERSO_DEMO: 'true' });
    try {
      const steady = (route: string, extra: Partial<LoadSpec> = {}): LoadSpec => ({ url: `${server.url}${route}`, ...STEADY, durationSeconds: MEASURE_SECONDS, ...extra });
      const whoami = steady('/v1/whoami', { authorizations: seed.secrets.map((s) => `Bearer ${s}`) });
      const kit = steady('/kit/perso-kit.js');
      await runLoad({ ...whoami, durationSeconds: 2 });
      await runLoad({ ...kit, durationSeconds: 2 });

      const idleWhoami = await runLoad(whoami);
      log(`    idle whoami: ${summary(idleWhoami)}`);
      const idleKit = await runLoad(kit);
      log(`    idle kit:    ${summary(idleKit)}`);

      const flood = runLoad({
        url: `${server.url}/api/signin`,
        connections: FLOOD_CONNECTIONS,
        durationSeconds: RAMP_SECONDS + 2 * MEASURE_SECONDS + 1,
        signInFlood: { firstIndex: 0 },
      });
      await new Promise((resolve) => setTimeout(resolve, RAMP_SECONDS * 1000));
      const floodWhoami = await runLoad(whoami);
      log(`    whoami under the flood: ${summary(floodWhoami)}`);
      const floodKit = await runLoad(kit);
      log(`    kit under the flood:    ${summary(floodKit)}`);
      const signIns = await flood;
      log(`    the flood: ${summary(signIns)}`);
      // A steady request that got no answer (autocannon gives up after 10 s) counts as infinitely slow.
      const ratio = (idle: LoadResult, flooded: LoadResult) =>
        idle.non2xx || idle.errors || flooded.non2xx || flooded.errors ? Number.POSITIVE_INFINITY : flooded.latencyMs.p99 / idle.latencyMs.p99;
      return {
        whoami: { idleP99: idleWhoami.latencyMs.p99, floodP99: floodWhoami.latencyMs.p99, ratio: ratio(idleWhoami, floodWhoami), unanswered: floodWhoami.errors },
        kit: { idleP99: idleKit.latencyMs.p99, floodP99: floodKit.latencyMs.p99, ratio: ratio(idleKit, floodKit), unanswered: floodKit.errors },
        flood: { requests: signIns.total, perSecond: signIns.requestsPerSecond, statuses: signIns.statuses, p99: signIns.latencyMs.p99 },
        runs: { idleWhoami, idleKit, floodWhoami, floodKit },
      };
    } finally {
      await server.stop().catch(() => {});
    }
  });
}

export const hostileLoadSection: Section = {
  name: 'hostile-load',
  async run(options) {
    log(`\n== Hostile load: ${options.floodRequests.toLocaleString('en')}-request distinct-client flood, sign-in flood starvation, key list at the cap ==`);
    log('  memory under a distinct-client sign-in flood:');
    const memory = await memoryUnderFlood(options.floodRequests);
    log('  starvation (steady 4 clients at 200 req/s; flood: 64 clients signing in, new email and /64 each):');
    const starved = await starvation();
    log('  key list at the cap:');
    const keyList = await measureKeyList();
    log(`    GET /api/keys with ${keyList.keys} keys: median ${fixed(keyList.medianMs, 2)} ms, p99 ${fixed(keyList.p99Ms, 2)} ms, max ${fixed(keyList.maxMs, 2)} ms per call; ${fixed(keyList.cpuMsPerCall, 2)} ms CPU per call`);

    return {
      name: 'hostile-load',
      goals: [
        goal(
          'RSS after the flood ÷ at start',
          memory.alive ? memory.ratio : Number.POSITIVE_INFINITY,
          '<=',
          1.5,
          `${memory.requests.toLocaleString('en')} POST /api/signin, each a new email from a new X-Forwarded-For IPv6 /64 (PERSO_TRUST_PROXY=1), ${FLOOD_CONNECTIONS} connections: ` +
            `${fixed(mib(memory.startRss), 0)} → ${fixed(mib(memory.endRss), 0)} MiB (peak ${fixed(mib(memory.peakRss), 0)}), alive: ${memory.alive}; answers ${JSON.stringify(memory.statuses)}`,
        ),
        goal(
          'whoami p99 under a sign-in flood ÷ idle',
          starved.whoami.ratio,
          '<=',
          3,
          `GET /v1/whoami, ${STEADY.connections} clients at ${STEADY.overallRate} req/s for ${MEASURE_SECONDS} s: p99 ${starved.whoami.idleP99} ms idle, ${starved.whoami.floodP99} ms (${starved.whoami.unanswered} unanswered) while ${FLOOD_CONNECTIONS} clients flood sign-in ` +
            `(${fixed(starved.flood.perSecond, 0)} req/s, answers ${JSON.stringify(starved.flood.statuses)}); same server, one run`,
        ),
        goal(
          '/kit/perso-kit.js p99 under the same flood ÷ idle',
          starved.kit.ratio,
          '<=',
          3,
          `same steady load on the kit bundle: p99 ${starved.kit.idleP99} ms idle, ${starved.kit.floodP99} ms under the flood (${starved.kit.unanswered} unanswered)`,
        ),
        goal(
          'GET /api/keys at the cap: event-loop block per call (ms)',
          keyList.medianMs,
          '<=',
          10,
          `in process, real SQLite file, ${keyList.keys} keys with 30 days of usage each (3,000 usage rows): median ${fixed(keyList.medianMs, 2)} ms, p99 ${fixed(keyList.p99Ms, 2)} ms over ${keyList.calls} calls, ` +
            `${fixed(keyList.cpuMsPerCall, 2)} ms CPU per call (each call is synchronous work on the event loop; most of it is building the 3,000 usage rows in JS)`,
        ),
      ],
      details: { memory, starvation: starved, keyList },
    };
  },
};
