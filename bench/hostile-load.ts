/**
 * The server under hostile load (issue 11), each figure from one run of the real server:
 * - memory: RSS after a flood of sign-ins, each from a new forwarded client (a new IPv6 /64)
 *   with a new email, ÷ RSS at start, and whether the process survived;
 * - starvation: /v1/whoami and /kit/perso-kit.js p99 at a steady, paced rate while 64 clients
 *   flood sign-in (asking again the moment they are answered, whatever Retry-After says), ÷ the
 *   same idle: several rounds on one server, idle and flooded interleaved, the median round counts;
 * - refusal cost: server CPU per malformed-key refusal beside the bare route and a valid key;
 * - key list: the event-loop block of one GET /api/keys at the cap (100 keys, 30 days of use each).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MAX_HELD_REFUSALS } from '../server/auth/hashing-limits.js';
import { measureKeyList } from './key-list.js';
import type { LoadResult, LoadSpec } from './load.js';
import type { PacedResult, PacedSpec } from './paced-load.js';
import { runLoad, runPaced } from './run-load.js';
import { goal, median, type Section } from './section.js';
import { seedDatabase } from './seed.js';
import { type ServerProcess, startServer } from './server-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FLOOD_CONNECTIONS = 64;
/**
 * The memory flood opens more connections than the server holds refusals for, so it is not
 * slowed by the tarpit (past the cap refusals leave at once) and the cap itself is under test.
 */
const MEMORY_FLOOD_CONNECTIONS = MAX_HELD_REFUSALS + 512;
/** The steady load whose latency is compared: a few clients at a rate the idle server meets easily, one request every 5 ms. */
const STEADY = { connections: 4, rate: 200 };
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

const summary = (r: LoadResult | PacedResult) => `${r.total} requests, statuses ${JSON.stringify(r.statuses)}, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms`;

/** Share of a core the server's main thread (event loop) and its other threads (hashing, pool) used over `work`. */
async function withThreads<T>(server: ServerProcess, work: () => Promise<T>): Promise<{ result: T; mainCpu: number; otherCpu: number; seconds: number }> {
  const before = server.threadCpuSeconds();
  const started = performance.now();
  const result = await work();
  const after = server.threadCpuSeconds();
  const seconds = (performance.now() - started) / 1000;
  return { result, mainCpu: (after.main - before.main) / seconds, otherCpu: (after.others - before.others) / seconds, seconds };
}

async function memoryUnderFlood(requests: number) {
  return withDatabase(async (path) => {
    await seedDatabase(path, { keys: 1, users: 1, sample: 1 });
    const server = await startServer(path, BEHIND_ONE_PROXY);
    try {
      const startRss = server.rssBytes();
      let peakRss = startRss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rssBytes() || 0)), 500);
      let flood: Awaited<ReturnType<typeof withThreads<LoadResult>>>;
      try {
        flood = await withThreads(server, () =>
          runLoad({ url: `${server.url}/api/signin`, connections: MEMORY_FLOOD_CONNECTIONS, durationSeconds: 3600, amount: requests, signInFlood: { firstIndex: 0 } }),
        );
      } finally {
        clearInterval(sampler);
      }
      const { result, seconds } = flood;
      const alive = server.alive() && (await fetch(`${server.url}/health`).then((r) => r.ok, () => false));
      const endRss = server.rssBytes();
      // Almost every request is a refusal, so this is what one costs the event loop.
      const mainMicrosPerRequest = (flood.mainCpu * seconds * 1e6) / result.total;
      const ctx = `main thread ${fixed(flood.mainCpu * 100, 0)}% of a core, other threads ${fixed(flood.otherCpu * 100, 0)}%, load average ${fixed(loadavg()[0]!, 1)}`;
      log(`    flood: ${summary(result)} in ${fixed(seconds, 0)} s (${fixed(result.total / seconds, 0)} req/s); ${fixed(mainMicrosPerRequest, 1)} µs of main-thread CPU per request; ${ctx}`);
      log(`    RSS ${fixed(mib(startRss), 0)} MiB at start → ${fixed(mib(endRss), 0)} MiB after (peak ${fixed(mib(peakRss), 0)} MiB); alive: ${alive}`);
      return {
        requests: result.total,
        connections: MEMORY_FLOOD_CONNECTIONS,
        seconds,
        startRss,
        endRss,
        peakRss,
        ratio: endRss / startRss,
        alive,
        statuses: result.statuses,
        errors: result.errors,
        mainMicrosPerRequest,
        context: ctx,
      };
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

/** Seconds of flood before latency is measured under it, and after the two measured loads. */
const FLOOD_MARGIN_SECONDS = 1;

/**
 * Rounds of: whoami idle, kit idle, then the same two under a fresh sign-in flood, on one
 * server. Idle and flooded runs alternate so a burst of other work on the machine lands in one
 * round's figures, not in every denominator; the median round's ratio counts.
 */
async function starvation(rounds: number) {
  await ensureKitBuilt();
  return withDatabase(async (path) => {
    const seed = await seedDatabase(path, { keys: 10, users: 10, sample: STEADY.connections });
    const server: ServerProcess = await startServer(path, { ...BEHIND_ONE_PROXY, PERSO_DEMO: 'true' });
    try {
      const steady = (route: string, extra: Partial<PacedSpec> = {}): PacedSpec => ({ url: `${server.url}${route}`, ...STEADY, durationSeconds: MEASURE_SECONDS, ...extra });
      const whoami = steady('/v1/whoami', { authorizations: seed.secrets.map((s) => `Bearer ${s}`) });
      const kit = steady('/kit/perso-kit.js');
      await runPaced({ ...whoami, durationSeconds: 2 });
      await runPaced({ ...kit, durationSeconds: 2 });

      const measureRound = async (round: number) => {
        const idleWhoami = await runPaced(whoami);
        const idleKit = await runPaced(kit);
        const flood = runLoad({
          url: `${server.url}/api/signin`,
          connections: FLOOD_CONNECTIONS,
          durationSeconds: RAMP_SECONDS + 2 * MEASURE_SECONDS + 2 * FLOOD_MARGIN_SECONDS,
          // Every round's flood brings new emails and addresses.
          signInFlood: { firstIndex: round * 10_000_000 },
        });
        await new Promise((resolve) => setTimeout(resolve, (RAMP_SECONDS + FLOOD_MARGIN_SECONDS) * 1000));
        const flooded = await withThreads(server, async () => ({ whoami: await runPaced(whoami), kit: await runPaced(kit) }));
        const signIns = await flood;
        const ratio = (idle: PacedResult, underFlood: PacedResult) =>
          // A steady request with no answer within 10 s counts as infinitely slow.
          idle.errors || underFlood.errors ? Number.POSITIVE_INFINITY : underFlood.latencyMs.p99 / idle.latencyMs.p99;
        const r = {
          whoami: { idle: idleWhoami.latencyMs, flood: flooded.result.whoami.latencyMs, ratio: ratio(idleWhoami, flooded.result.whoami), unanswered: flooded.result.whoami.errors },
          kit: { idle: idleKit.latencyMs, flood: flooded.result.kit.latencyMs, ratio: ratio(idleKit, flooded.result.kit), unanswered: flooded.result.kit.errors },
          flood: {
            requests: signIns.total,
            perSecond: signIns.requestsPerSecond,
            statuses: signIns.statuses,
            // Sign-ins the hashing got through (wrong passwords: 401), per second of flood.
            signInsPerSecond: (signIns.statuses['401'] ?? 0) / (RAMP_SECONDS + 2 * MEASURE_SECONDS + 2 * FLOOD_MARGIN_SECONDS),
            p99: signIns.latencyMs.p99,
          },
          server: { mainThreadCpu: flooded.mainCpu, otherThreadsCpu: flooded.otherCpu },
          loadAverage: loadavg()[0]!,
        };
        log(
          `    round ${round + 1}: whoami p99 ${idleWhoami.latencyMs.p99} → ${r.whoami.flood.p99} ms (×${fixed(r.whoami.ratio)}; p50 ${idleWhoami.latencyMs.p50} → ${r.whoami.flood.p50}), ` +
            `kit p99 ${idleKit.latencyMs.p99} → ${r.kit.flood.p99} ms (×${fixed(r.kit.ratio)}); flood ${fixed(r.flood.perSecond, 0)} req/s ${JSON.stringify(r.flood.statuses)}, ${fixed(r.flood.signInsPerSecond, 1)} sign-ins/s; ` +
            `server main thread ${fixed(r.server.mainThreadCpu * 100, 0)}%, other threads ${fixed(r.server.otherThreadsCpu * 100, 0)}% of a core; load average ${fixed(r.loadAverage, 1)}`,
        );
        return r;
      };
      const results: Awaited<ReturnType<typeof measureRound>>[] = [];
      for (let round = 0; round < rounds; round++) results.push(await measureRound(round));
      const middle = (pick: (r: (typeof results)[number]) => number) => median(results.map(pick));
      return {
        rounds: results,
        whoami: { ratio: middle((r) => r.whoami.ratio), idleP99: middle((r) => r.whoami.idle.p99), floodP99: middle((r) => r.whoami.flood.p99) },
        kit: { ratio: middle((r) => r.kit.ratio), idleP99: middle((r) => r.kit.idle.p99), floodP99: middle((r) => r.kit.flood.p99) },
        signInsPerSecond: middle((r) => r.flood.signInsPerSecond),
        floodPerSecond: middle((r) => r.flood.perSecond),
        mainThreadCpu: middle((r) => r.server.mainThreadCpu),
        otherThreadsCpu: middle((r) => r.server.otherThreadsCpu),
        loadAverages: results.map((r) => Number(fixed(r.loadAverage, 1))),
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

const PARTS = ['memory', 'starvation', 'refusals', 'key-list'] as const;

export const hostileLoadSection: Section = {
  name: 'hostile-load',
  async run(options) {
    const parts = new Set(options.parts ?? PARTS);
    const unknown = [...parts].filter((p) => !(PARTS as readonly string[]).includes(p));
    if (unknown.length) throw new Error(`--parts: unknown ${unknown.join(', ')}; hostile-load has ${PARTS.join(', ')}`);
    log(`\n== Hostile load: ${[...parts].join(', ')} ==`);
    const goals = [];
    const details: Record<string, unknown> = {};

    if (parts.has('memory')) {
      log(`  memory under a ${options.floodRequests.toLocaleString('en')}-request distinct-client sign-in flood, ${MEMORY_FLOOD_CONNECTIONS} connections:`);
      const memory = await memoryUnderFlood(options.floodRequests);
      details.memory = memory;
      goals.push(
        goal(
          'RSS after the flood ÷ at start',
          memory.alive ? memory.ratio : Number.POSITIVE_INFINITY,
          '<=',
          1.5,
          `${memory.requests.toLocaleString('en')} POST /api/signin in ${fixed(memory.seconds, 0)} s, each a new email from a new X-Forwarded-For IPv6 /64 (PERSO_TRUST_PROXY=1), ${memory.connections} connections (more than the ${MAX_HELD_REFUSALS} refusals the tarpit holds): ` +
            `${fixed(mib(memory.startRss), 0)} → ${fixed(mib(memory.endRss), 0)} MiB (peak ${fixed(mib(memory.peakRss), 0)}), alive: ${memory.alive}; answers ${JSON.stringify(memory.statuses)}; ` +
            `${fixed(memory.mainMicrosPerRequest, 1)} µs main-thread CPU per request; ${memory.context}`,
        ),
      );
    }

    if (parts.has('starvation')) {
      log(`  starvation, ${options.runs} rounds (steady: 4 connections, one request every 5 ms, timed from when due; flood: ${FLOOD_CONNECTIONS} clients signing in, new email and /64 each, asking again at once):`);
      const starved = await starvation(options.runs);
      details.starvation = starved;
      const rounds = (pick: (r: (typeof starved.rounds)[number]) => string) => starved.rounds.map(pick).join(', ');
      goals.push(
        goal(
          'whoami p99 under a sign-in flood ÷ idle',
          starved.whoami.ratio,
          '<=',
          3,
          `GET /v1/whoami, ${STEADY.connections} connections at ${STEADY.rate} req/s paced for ${MEASURE_SECONDS} s, latency from when each request was due; median of ${options.runs} interleaved rounds on one server: ` +
            `p99 ${starved.whoami.idleP99} ms idle, ${starved.whoami.floodP99} ms while ${FLOOD_CONNECTIONS} clients flood sign-in (${fixed(starved.floodPerSecond, 0)} req/s, ${fixed(starved.signInsPerSecond, 1)} sign-ins/s hashed); ` +
            `rounds ×${rounds((r) => fixed(r.whoami.ratio))}; server main thread ${fixed(starved.mainThreadCpu * 100, 0)}%, other threads ${fixed(starved.otherThreadsCpu * 100, 0)}% of a core under the flood; load average ${starved.loadAverages.join(', ')}`,
        ),
        goal(
          '/kit/perso-kit.js p99 under the same flood ÷ idle',
          starved.kit.ratio,
          '<=',
          3,
          `same steady load on the kit bundle: p99 ${starved.kit.idleP99} ms idle, ${starved.kit.floodP99} ms under the flood; rounds ×${rounds((r) => fixed(r.kit.ratio))}`,
        ),
      );
    }

    if (parts.has('refusals')) {
      log('  refusal cost (50 connections, saturated; all from 127.0.0.1, so the failure limit turns most into 429s):');
      const refusals = await refusalCost();
      details.refusals = refusals;
      goals.push(
        goal(
          'malformed-key refusal ÷ bare route, server CPU per request',
          refusals.malformed.cpuMicros / refusals.bare.cpuMicros,
          '<=',
          1.2,
          `GET /v1/whoami with "Bearer not-a-key": ${fixed(refusals.malformed.cpuMicros, 1)} µs (answers ${JSON.stringify(refusals.malformed.statuses)}) vs GET /health ${fixed(refusals.bare.cpuMicros, 1)} µs; ` +
            `unknown well-formed key ${fixed(refusals.unknown.cpuMicros, 1)} µs (${JSON.stringify(refusals.unknown.statuses)}), valid key ${fixed(refusals.valid.cpuMicros, 1)} µs`,
        ),
      );
    }

    if (parts.has('key-list')) {
      log('  key list at the cap:');
      const keyList = await measureKeyList();
      details.keyList = keyList;
      log(`    GET /api/keys with ${keyList.keys} keys: median ${fixed(keyList.medianMs, 2)} ms, p99 ${fixed(keyList.p99Ms, 2)} ms, max ${fixed(keyList.maxMs, 2)} ms per call; ${fixed(keyList.cpuMsPerCall, 2)} ms CPU per call`);
      goals.push(
        goal(
          'GET /api/keys at the cap: event-loop block per call (ms)',
          keyList.medianMs,
          '<=',
          10,
          `in process, real SQLite file, ${keyList.keys} keys with 30 days of usage each (3,000 usage rows): median ${fixed(keyList.medianMs, 2)} ms, p99 ${fixed(keyList.p99Ms, 2)} ms over ${keyList.calls} calls, ` +
            `${fixed(keyList.cpuMsPerCall, 2)} ms CPU per call (each call is synchronous work on the event loop)`,
        ),
      );
    }

    return { name: 'hostile-load', goals, details };
  },
};
