/**
 * The server under hostile load (issue 11), each figure from one run of the real server:
 * - memory: RSS after a flood of sign-ins, each from a new forwarded client (a new IPv6 /64)
 *   with a new email, ÷ RSS at start, and whether the process survived;
 * - starvation: /v1/whoami and /kit/perso-kit.js p99 at a steady rate while 64 clients flood
 *   sign-in, ÷ the same idle, measured side by side on one server;
 * - refusal cost: server CPU per malformed-key refusal beside the bare route and a valid key;
 * - key list: the event-loop block of one GET /api/keys at the cap (100 keys, 30 days of use each).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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

/** What else the machine was doing: the server's share of a core and the 1-minute load average over `work`. */
async function withContext<T>(server: ServerProcess, work: () => Promise<T>): Promise<T & { serverCpu: number; loadAverage: number }> {
  const cpuBefore = server.cpuSeconds();
  const started = performance.now();
  const result = await work();
  return { ...result, serverCpu: (server.cpuSeconds() - cpuBefore) / ((performance.now() - started) / 1000), loadAverage: loadavg()[0]! };
}

const context = (r: { serverCpu: number; loadAverage: number }) => `server ${fixed(r.serverCpu * 100, 0)}% of a core, load average ${fixed(r.loadAverage, 1)}`;

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
      let flood: Awaited<ReturnType<typeof withContext<LoadResult>>>;
      try {
        flood = await withContext(server, () =>
          runLoad({ url: `${server.url}/api/signin`, connections: FLOOD_CONNECTIONS, durationSeconds: 3600, amount: requests, signInFlood: { firstIndex: 0 } }),
        );
      } finally {
        clearInterval(sampler);
      }
      const seconds = (performance.now() - started) / 1000;
      const alive = server.alive() && (await fetch(`${server.url}/health`).then((r) => r.ok, () => false));
      const endRss = server.rssBytes();
      log(`    flood: ${summary(flood)} in ${fixed(seconds, 0)} s; ${context(flood)}`);
      log(`    RSS ${fixed(mib(startRss), 0)} MiB at start → ${fixed(mib(endRss), 0)} MiB after (peak ${fixed(mib(peakRss), 0)} MiB); alive: ${alive}`);
      return { requests: flood.total, seconds, startRss, endRss, peakRss, ratio: endRss / startRss, alive, statuses: flood.statuses, errors: flood.errors, context: context(flood) };
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

      const idleWhoami = await withContext(server, () => runLoad(whoami));
      log(`    idle whoami: ${summary(idleWhoami)}; ${context(idleWhoami)}`);
      const idleKit = await withContext(server, () => runLoad(kit));
      log(`    idle kit:    ${summary(idleKit)}; ${context(idleKit)}`);

      const flood = runLoad({
        url: `${server.url}/api/signin`,
        connections: FLOOD_CONNECTIONS,
        durationSeconds: RAMP_SECONDS + 2 * MEASURE_SECONDS + 1,
        signInFlood: { firstIndex: 0 },
      });
      await new Promise((resolve) => setTimeout(resolve, RAMP_SECONDS * 1000));
      const floodWhoami = await withContext(server, () => runLoad(whoami));
      log(`    whoami under the flood: ${summary(floodWhoami)}; ${context(floodWhoami)}`);
      const floodKit = await withContext(server, () => runLoad(kit));
      log(`    kit under the flood:    ${summary(floodKit)}; ${context(floodKit)}`);
      const signIns = await flood;
      log(`    the flood: ${summary(signIns)}`);
      // A steady request that got no answer (autocannon gives up after 10 s) counts as infinitely slow.
      const ratio = (idle: LoadResult, flooded: LoadResult) =>
        idle.non2xx || idle.errors || flooded.non2xx || flooded.errors ? Number.POSITIVE_INFINITY : flooded.latencyMs.p99 / idle.latencyMs.p99;
      return {
        whoami: { idleP99: idleWhoami.latencyMs.p99, floodP99: floodWhoami.latencyMs.p99, ratio: ratio(idleWhoami, floodWhoami), unanswered: floodWhoami.errors },
        kit: { idleP99: idleKit.latencyMs.p99, floodP99: floodKit.latencyMs.p99, ratio: ratio(idleKit, floodKit), unanswered: floodKit.errors },
        flood: { requests: signIns.total, perSecond: signIns.requestsPerSecond, statuses: signIns.statuses, p99: signIns.latencyMs.p99 },
        context: { idle: context(idleWhoami), flood: context(floodWhoami) },
        runs: { idleWhoami, idleKit, floodWhoami, floodKit },
      };
    } finally {
      await server.stop().catch(() => {});
    }
  });
}

/**
 * Server CPU per answered request, saturated (50 connections, 10 s each, one server): the bare
 * route, a malformed key's refusal, a well-formed unknown key's refusal, and a valid key.
 * Refusals are what floods are made of; today a malformed one cost 42 µs, as much as a valid key.
 */
async function refusalCost() {
  return withDatabase(async (path) => {
    const seed = await seedDatabase(path, { keys: 50, users: 10, sample: 50 });
    const server = await startServer(path);
    try {
      const spec = (route: string, authorizations?: string[]): LoadSpec => ({ url: `${server.url}${route}`, connections: 50, durationSeconds: MEASURE_SECONDS, authorizations });
      const measure = async (label: string, load: LoadSpec) => {
        const run = await withContext(server, () => runLoad(load));
        const cpuMicros = (run.serverCpu * MEASURE_SECONDS * 1e6) / run.total;
        log(`    ${label.padEnd(22)} ${fixed(cpuMicros, 1)} µs server CPU per request; ${summary(run)}; ${context(run)}`);
        return { cpuMicros, statuses: run.statuses, requestsPerSecond: run.requestsPerSecond };
      };
      await runLoad({ ...spec('/health'), durationSeconds: 2 });
      return {
        bare: await measure('GET /health', spec('/health')),
        malformed: await measure('malformed key (401)', spec('/v1/whoami', ['Bearer not-a-key'])),
        unknown: await measure('unknown key (401/429)', spec('/v1/whoami', [`Bearer pak-${'0'.repeat(32)}`])),
        valid: await measure('valid key (200)', spec('/v1/whoami', seed.secrets.map((s) => `Bearer ${s}`))),
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
    log('  refusal cost (50 connections, saturated; all from 127.0.0.1, so the failure limit turns most into 429s):');
    const refusals = await refusalCost();
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
            `(${fixed(starved.flood.perSecond, 0)} req/s, answers ${JSON.stringify(starved.flood.statuses)}); same server, one run; idle: ${starved.context.idle}; flood: ${starved.context.flood}`,
        ),
        goal(
          '/kit/perso-kit.js p99 under the same flood ÷ idle',
          starved.kit.ratio,
          '<=',
          3,
          `same steady load on the kit bundle: p99 ${starved.kit.idleP99} ms idle, ${starved.kit.floodP99} ms under the flood (${starved.kit.unanswered} unanswered)`,
        ),
        goal(
          'malformed-key refusal ÷ bare route, server CPU per request',
          refusals.malformed.cpuMicros / refusals.bare.cpuMicros,
          '<=',
          1.2,
          `GET /v1/whoami with "Bearer not-a-key": ${fixed(refusals.malformed.cpuMicros, 1)} µs (answers ${JSON.stringify(refusals.malformed.statuses)}) vs GET /health ${fixed(refusals.bare.cpuMicros, 1)} µs; ` +
            `unknown well-formed key ${fixed(refusals.unknown.cpuMicros, 1)} µs (${JSON.stringify(refusals.unknown.statuses)}), valid key ${fixed(refusals.valid.cpuMicros, 1)} µs`,
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
      details: { memory, starvation: starved, refusals, keyList },
    };
  },
};
