/**
 * The API-key hot path under load: `/v1/whoami` with valid keys against a bare route on the
 * same real server, with 1,000 and with 1,000,000 keys in the database, plus the database
 * writes the server makes per verified request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KeyCheckCost, measureKeyCheck } from './key-check.js';
import type { LoadResult, LoadSpec } from './load.js';
import { runLoad } from './run-load.js';
import { type BenchOptions, goal, median, type Section } from './section.js';
import { installWriteCounter, readWrites, seedDatabase, type SeedResult } from './seed.js';
import { startServer } from './server-process.js';

const CONNECTIONS = 50;
const WARMUP_SECONDS = 3;
const SMALL = { keys: 1_000, users: 100 };
/** One key per connection: 50 clients, each using its own key, as API clients do. */
const KEYS_IN_USE = CONNECTIONS;
/** Below this share of a core while saturated, the server was waiting for the CPU, not working. */
const CONTENDED_CPU = 0.85;

interface RouteRun extends LoadResult {
  /** Share of one core the server process used during the run. */
  serverCpu: number;
  /** Server CPU time per answered request: unlike req/s, barely moved by other processes. */
  serverCpuMicrosPerRequest: number;
  /** The machine's 1-minute load average when the run ended. */
  loadAverage: number;
}

interface DatabaseMeasurement {
  keys: number;
  users: number;
  seedSeconds: number;
  bare: RouteRun[];
  whoami: RouteRun[];
  median: { bareRps: number; whoamiRps: number; bareP99: number; whoamiP99: number; bareCpuMicros: number; whoamiCpuMicros: number; serverCpu: number };
  throughputRatio: number;
  p99Ratio: number;
  /** bare ÷ whoami server CPU per request: the throughput ratio a server-bound, uncontended run would show. */
  cpuRatio: number;
  /** Uses the server recorded: every request it verified, including those in flight when a run stopped. */
  verifiedRequests: number;
  /** 200 answers the load generator counted. */
  answeredRequests: number;
  writes: ReturnType<typeof readWrites>;
  /** The key check alone, in process: see key-check.ts. */
  keyCheck: KeyCheckCost;
  /** Estimated whoami ÷ the same route without the key check: 1 − (check's CPU ÷ whoami's CPU per HTTP request). */
  keyCheckRatio: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const fixed = (n: number, digits = 3) => n.toFixed(digits);

async function measureDatabase(seed: SeedResult, options: BenchOptions): Promise<DatabaseMeasurement> {
  installWriteCounter(seed.path);
  const server = await startServer(seed.path);
  const bare: LoadSpec = { url: `${server.url}/health`, connections: CONNECTIONS, durationSeconds: options.durationSeconds };
  const whoami: LoadSpec = { ...bare, url: `${server.url}/v1/whoami`, authorizations: seed.secrets.map((s) => `Bearer ${s}`) };

  let answered = 0;
  const measured = async (spec: LoadSpec, label: string): Promise<RouteRun> => {
    const cpuBefore = server.cpuSeconds();
    const started = performance.now();
    const result = await runLoad(spec);
    const cpu = server.cpuSeconds() - cpuBefore;
    const serverCpu = cpu / ((performance.now() - started) / 1000);
    const serverCpuMicrosPerRequest = (cpu * 1e6) / result.total;
    if (spec.authorizations) answered += result.ok;
    if (result.non2xx || result.errors) throw new Error(`${label}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
    log(
      `    ${label.padEnd(15)} ${fixed(result.requestsPerSecond, 0).padStart(6)} req/s  p99 ${String(result.latencyMs.p99).padStart(3)} ms  ` +
        `server ${fixed(serverCpu * 100, 0).padStart(3)}% CPU, ${fixed(serverCpuMicrosPerRequest, 0)} µs CPU/request  load ${fixed(loadavg()[0]!, 1)}`,
    );
    return { ...result, serverCpu, serverCpuMicrosPerRequest, loadAverage: loadavg()[0]! };
  };

  try {
    const check = await fetch(whoami.url, { headers: { authorization: whoami.authorizations![0]! } });
    if (check.status !== 200) throw new Error(`whoami answered ${check.status}: ${await check.text()}`);
    answered += 1;

    await measured({ ...bare, durationSeconds: WARMUP_SECONDS }, 'warm-up bare');
    await measured({ ...whoami, durationSeconds: WARMUP_SECONDS }, 'warm-up whoami');
    const bareRuns: RouteRun[] = [];
    const whoamiRuns: RouteRun[] = [];
    for (let i = 1; i <= options.runs; i++) {
      bareRuns.push(await measured(bare, `bare #${i}`));
      whoamiRuns.push(await measured(whoami, `whoami #${i}`));
    }
    await server.stop();

    const writes = readWrites(seed.path);
    const keyCheck = await measureKeyCheck(seed.path, seed.secrets);
    // The server also verified the requests still in flight when each load run stopped.
    const inFlight = (options.runs + 1) * CONNECTIONS;
    if (writes.usesRecorded < answered || writes.usesRecorded > answered + inFlight) {
      throw new Error(`The server recorded ${writes.usesRecorded} uses for ${answered} answered requests (+ up to ${inFlight} in flight).`);
    }
    const m = {
      bareRps: median(bareRuns.map((r) => r.requestsPerSecond)),
      whoamiRps: median(whoamiRuns.map((r) => r.requestsPerSecond)),
      bareP99: median(bareRuns.map((r) => r.latencyMs.p99)),
      whoamiP99: median(whoamiRuns.map((r) => r.latencyMs.p99)),
      bareCpuMicros: median(bareRuns.map((r) => r.serverCpuMicrosPerRequest)),
      whoamiCpuMicros: median(whoamiRuns.map((r) => r.serverCpuMicrosPerRequest)),
      serverCpu: median([...bareRuns, ...whoamiRuns].map((r) => r.serverCpu)),
    };
    const result: DatabaseMeasurement = {
      keys: seed.keys,
      users: seed.users,
      seedSeconds: seed.seconds,
      bare: bareRuns,
      whoami: whoamiRuns,
      median: m,
      throughputRatio: m.whoamiRps / m.bareRps,
      p99Ratio: m.whoamiP99 / m.bareP99,
      cpuRatio: m.bareCpuMicros / m.whoamiCpuMicros,
      verifiedRequests: writes.usesRecorded,
      answeredRequests: answered,
      writes,
      keyCheck,
      keyCheckRatio: 1 - keyCheck.addedMicros / m.whoamiCpuMicros,
    };
    log(
      `    medians: whoami ÷ bare ${fixed(result.throughputRatio)} (req/s), ${fixed(result.cpuRatio)} (CPU/request); p99 ${fixed(result.p99Ratio)}; ` +
        `${writes.writeTransactions} write transactions, ${writes.rowWrites} rows for ${writes.usesRecorded} verified requests`,
    );
    log(
      `    key check alone (in process, same route with and without requireApiKey): +${fixed(keyCheck.addedMicros, 1)} µs CPU per request, ` +
        `${fixed((keyCheck.addedMicros / m.whoamiCpuMicros) * 100, 1)}% of a whoami over HTTP → whoami ÷ same route unchecked ≈ ${fixed(result.keyCheckRatio)}`,
    );
    if (m.serverCpu < CONTENDED_CPU) {
      log(`    note: the saturated server got only ${fixed(m.serverCpu * 100, 0)}% of a core: other processes were using the CPU, so req/s and p99 are noisy here; CPU/request is not.`);
    }
    return result;
  } finally {
    await server.stop().catch(() => {});
  }
}

async function measureWithKeys(keys: number, users: number, options: BenchOptions): Promise<DatabaseMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'perso-bench-'));
  try {
    log(`  ${keys.toLocaleString('en')} keys, ${users.toLocaleString('en')} users: seeding…`);
    const seed = await seedDatabase(join(dir, 'perso.db'), { keys, users, sample: KEYS_IN_USE });
    log(`    seeded in ${fixed(seed.seconds, 1)} s`);
    return await measureDatabase(seed, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const apiKeysSection: Section = {
  name: 'api-keys',
  async run(options) {
    log(`\n== API keys: ${CONNECTIONS} connections (one key each), ${options.durationSeconds} s runs, ${options.runs} per route, interleaved, medians ==`);
    const small = await measureWithKeys(SMALL.keys, SMALL.users, options);
    const large = await measureWithKeys(options.largeKeys, Math.max(SMALL.users, options.largeKeys / 100), options);
    const many = options.largeKeys.toLocaleString('en');
    const verified = small.verifiedRequests + large.verifiedRequests;
    const transactions = small.writes.writeTransactions + large.writes.writeTransactions;
    const rows = small.writes.rowWrites + large.writes.rowWrites;

    return {
      name: 'api-keys',
      goals: [
        goal(
          'whoami ÷ bare route throughput',
          Math.min(small.throughputRatio, large.throughputRatio),
          '>=',
          0.85,
          `median req/s of GET /v1/whoami (valid key) ÷ GET /health on the same server; the lower of ${fixed(small.throughputRatio)} (1,000 keys) and ${fixed(large.throughputRatio)} (${many} keys). ` +
            `From server CPU per request instead: ${fixed(small.cpuRatio)} and ${fixed(large.cpuRatio)}. ` +
            `Both routes run the same middleware (security headers); /health does no key check and no database read.`,
        ),
        goal(
          `that ratio with ${many} keys ÷ with 1,000`,
          large.throughputRatio / small.throughputRatio,
          '>=',
          0.9,
          `${fixed(large.throughputRatio)} ÷ ${fixed(small.throughputRatio)}; from server CPU per request: ${fixed(large.cpuRatio / small.cpuRatio)}`,
        ),
        goal(
          'database writes per verified request',
          transactions / verified,
          '<=',
          0.01,
          `write transactions (usage flushes, and the key index lease renewed once a second) ÷ requests the server verified: ${transactions} ÷ ${verified}. Counted by SQLite triggers the bench puts on every table, read after a clean shutdown; ` +
            `rows written: ${rows} (${fixed(rows / verified, 4)} per request), each flush writing one lastUsedAt and one day count per key used.`,
        ),
        goal(
          'p99 latency whoami ÷ bare route',
          Math.max(small.p99Ratio, large.p99Ratio),
          '<=',
          1.5,
          `median p99 of /v1/whoami ÷ of /health; the higher of ${fixed(small.p99Ratio)} (1,000 keys) and ${fixed(large.p99Ratio)} (${many} keys)`,
        ),
      ],
      details: { connections: CONNECTIONS, keysInUse: KEYS_IN_USE, warmupSeconds: WARMUP_SECONDS, ...options, small, large },
    };
  },
};
