/**
 * The key check with its in-process index, on SQLite and on PostgreSQL: `/v1/whoami` ÷
 * `GET /health` on the same server (hot keys, and the cold case where nearly every request
 * brings a key the index does not hold), PostgreSQL ÷ SQLite, two instances ÷ one, and how long
 * a deletion takes to be safe on every instance (its 204).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startThrowawayCluster } from '../scripts/postgres.mjs';
import { openPostgresStore } from '../server/store/postgres/store.js';
import { openSqliteStore } from '../server/store/sqlite/store.js';
import type { Store } from '../server/store/types.js';
import { createKeyThrough, seedAccount, sessionCall, signIn } from '../test/server/instances/cluster.js';
import type { LoadResult, LoadSpec } from './load.js';
import { runLoad } from './run-load.js';
import { type BenchOptions, goal, median, report, type Section } from './section.js';
import { seedDatabase, type SeedResult } from './seed.js';
import { seedPostgres } from './seed-postgres.js';
import { type ServerProcess, startServer } from './server-process.js';

const CONNECTIONS = 50;
const HOT_KEYS = 50;
/** Twice the index's default capacity: nearly every request of the cold run misses it. */
const COLD_KEYS = 200_000;
const POSTGRES_KEYS = 250_000;
const DELETIONS = 60;

const log = (line: string) => process.stdout.write(`${line}\n`);
const fixed = (n: number, digits = 3) => n.toFixed(digits);

interface Run extends LoadResult {
  cpuMicrosPerRequest: number;
  loadAverage: number;
}

async function measure(server: ServerProcess, spec: LoadSpec, label: string): Promise<Run> {
  const before = server.cpuSeconds();
  const result = await runLoad(spec);
  const cpuMicrosPerRequest = ((server.cpuSeconds() - before) * 1e6) / result.total;
  if (result.non2xx || result.errors) throw new Error(`${label}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  log(`    ${label.padEnd(22)} ${fixed(result.requestsPerSecond, 0).padStart(6)} req/s  p99 ${String(result.latencyMs.p99).padStart(3)} ms  ${fixed(cpuMicrosPerRequest, 0)} µs CPU/request  load ${fixed(loadavg()[0]!, 1)}`);
  return { ...result, cpuMicrosPerRequest, loadAverage: loadavg()[0]! };
}

/** Bare, hot whoami and cold whoami on one server, interleaved, medians of `runs`. */
async function compareRoutes(server: ServerProcess, seed: SeedResult, coldFile: string, options: BenchOptions) {
  const bare: LoadSpec = { url: `${server.url}/health`, connections: CONNECTIONS, durationSeconds: options.durationSeconds };
  const hotSecrets = seed.secrets.filter((_, i) => i % Math.floor(seed.secrets.length / HOT_KEYS) === 0).slice(0, HOT_KEYS);
  const hot: LoadSpec = { ...bare, url: `${server.url}/v1/whoami`, authorizations: hotSecrets.map((s) => `Bearer ${s}`) };
  const cold: LoadSpec = { ...bare, url: `${server.url}/v1/whoami`, rotateAuthorizationsFile: coldFile };
  await measure(server, { ...bare, durationSeconds: 2 }, 'warm-up');
  await measure(server, { ...hot, durationSeconds: 2 }, 'warm-up');
  const runs = { bare: [] as Run[], hot: [] as Run[], cold: [] as Run[] };
  for (let i = 1; i <= options.runs; i++) {
    runs.bare.push(await measure(server, bare, `bare #${i}`));
    runs.hot.push(await measure(server, hot, `whoami hot #${i}`));
    runs.cold.push(await measure(server, cold, `whoami cold #${i}`));
  }
  const rps = (r: Run[]) => median(r.map((x) => x.requestsPerSecond));
  const cpu = (r: Run[]) => median(r.map((x) => x.cpuMicrosPerRequest));
  const m = {
    bareRps: rps(runs.bare),
    hotRps: rps(runs.hot),
    coldRps: rps(runs.cold),
    bareCpuMicros: cpu(runs.bare),
    hotCpuMicros: cpu(runs.hot),
    coldCpuMicros: cpu(runs.cold),
  };
  const ratios = { hot: m.hotRps / m.bareRps, cold: m.coldRps / m.bareRps, hotCpu: m.bareCpuMicros / m.hotCpuMicros, coldCpu: m.bareCpuMicros / m.coldCpuMicros };
  log(`    whoami ÷ bare: hot ${fixed(ratios.hot)} (CPU ${fixed(ratios.hotCpu)}), cold ${fixed(ratios.cold)} (CPU ${fixed(ratios.coldCpu)})`);
  return { runs, medians: m, ratios, hotSecrets };
}

/** Signs in on `deleter`, creates keys, has every other instance use each once, then deletes them one by one. */
async function revocationLatency(store: Store, deleter: ServerProcess, others: ServerProcess[]) {
  const times: number[] = [];
  let cookie = '';
  for (let i = 0; i < DELETIONS; i++) {
    // A new account every 25 keys: key creation is limited to 30 per user per 10 minutes.
    if (i % 25 === 0) cookie = await signIn(deleter.url, await seedAccount(store, `deleter-${i}-${Date.now()}@bench.example`));
    const { key, secret } = await createKeyThrough(deleter.url, cookie, `revoked ${i}`);
    for (const server of others) {
      const used = await fetch(`${server.url}/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });
      if (used.status !== 200) throw new Error(`a new key answered ${used.status} on another instance`);
    }
    const started = performance.now();
    const deleted = await sessionCall(deleter.url, cookie, 'DELETE', `/api/keys/${key.id}`);
    times.push(performance.now() - started);
    if (deleted.status !== 204) throw new Error(`DELETE answered ${deleted.status}`);
    for (const server of others) {
      const refused = await fetch(`${server.url}/v1/whoami`, { headers: { authorization: `Bearer ${secret}` } });
      if (refused.status !== 401 && refused.status !== 429) throw new Error(`a deleted key answered ${refused.status} on another instance`);
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  log(`    DELETE on A with ${others.length} other instance(s): p50 ${fixed(at(0.5), 1)} ms, p99 ${fixed(at(0.99), 1)} ms (${DELETIONS} deletions)`);
  return { p50: at(0.5), p99: at(0.99), deletions: DELETIONS };
}

export const instancesSection: Section = {
  name: 'instances',
  async run(options) {
    log(`\n== Key index on SQLite and PostgreSQL: ${CONNECTIONS} connections, ${options.durationSeconds} s runs, ${options.runs} per route, interleaved, medians ==`);
    const dir = mkdtempSync(join(tmpdir(), 'perso-bench-instances-'));
    const cluster = await startThrowawayCluster({ quiet: true });
    const servers: ServerProcess[] = [];
    try {
      // SQLite: the large database, hot keys and the cold case.
      const sqliteKeys = options.largeKeys;
      log(`  SQLite, ${sqliteKeys.toLocaleString('en')} keys: seeding…`);
      const sqliteSeed = await seedDatabase(join(dir, 'perso.db'), { keys: sqliteKeys, users: Math.max(100, sqliteKeys / 100), sample: Math.min(COLD_KEYS, sqliteKeys) });
      const sqliteCold = join(dir, 'sqlite-cold.txt');
      writeFileSync(sqliteCold, sqliteSeed.secrets.map((s) => `Bearer ${s}`).join('\n'));
      const sqliteServer = await startServer(sqliteSeed.path);
      servers.push(sqliteServer);
      const sqlite = await compareRoutes(sqliteServer, sqliteSeed, sqliteCold, options);
      const sqliteSecond = await startServer(sqliteSeed.path);
      servers.push(sqliteSecond);
      const sqliteStore = openSqliteStore(sqliteSeed.path);
      const sqliteRevocation = await revocationLatency(sqliteStore, sqliteServer, [sqliteSecond]);
      await sqliteStore.close();
      await Promise.all([sqliteServer.stop(), sqliteSecond.stop()]);
      servers.length = 0;

      // PostgreSQL: the same on one instance, then two instances, then revocation across three.
      const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
      await admin.unsafe('CREATE DATABASE bench');
      await admin.end();
      const url = new URL(cluster.url);
      url.pathname = '/bench';
      log(`  PostgreSQL, ${POSTGRES_KEYS.toLocaleString('en')} keys: seeding…`);
      const pgSeed = await seedPostgres(url.toString(), { keys: POSTGRES_KEYS, users: POSTGRES_KEYS / 100, sample: COLD_KEYS });
      log(`    seeded in ${fixed(pgSeed.seconds, 1)} s`);
      const pgCold = join(dir, 'postgres-cold.txt');
      writeFileSync(pgCold, pgSeed.secrets.map((s) => `Bearer ${s}`).join('\n'));
      const env = { DATABASE_URL: url.toString() };
      const a = await startServer('', env);
      servers.push(a);
      const pg = await compareRoutes(a, pgSeed, pgCold, options);

      const b = await startServer('', env);
      servers.push(b);
      const half = (server: ServerProcess): LoadSpec => ({ url: `${server.url}/v1/whoami`, connections: CONNECTIONS / 2, durationSeconds: options.durationSeconds, authorizations: pg.hotSecrets.map((s) => `Bearer ${s}`) });
      const oneRuns: number[] = [];
      const twoRuns: number[] = [];
      for (let i = 1; i <= options.runs; i++) {
        oneRuns.push((await measure(a, { ...half(a), connections: CONNECTIONS }, `one instance #${i}`)).requestsPerSecond);
        const [onA, onB] = await Promise.all([runLoad(half(a)), runLoad(half(b))]);
        twoRuns.push(onA.requestsPerSecond + onB.requestsPerSecond);
        log(`    two instances #${i}        ${fixed(twoRuns.at(-1)!, 0).padStart(6)} req/s (A ${fixed(onA.requestsPerSecond, 0)}, B ${fixed(onB.requestsPerSecond, 0)})`);
      }
      const twoOverOne = median(twoRuns) / median(oneRuns);
      const c = await startServer('', env);
      servers.push(c);
      const pgStore = await openPostgresStore(url.toString(), { max: 2 });
      const pgRevocation = await revocationLatency(pgStore, a, [b, c]);
      await pgStore.close();

      const pgOverSqlite = pg.medians.hotRps / sqlite.medians.hotRps;
      const how = (r: typeof sqlite) =>
        `median req/s, hot keys (${HOT_KEYS}, one per connection): ${fixed(r.medians.hotRps, 0)} ÷ ${fixed(r.medians.bareRps, 0)}; from server CPU per request ${fixed(r.ratios.hotCpu)}. ` +
        `Cold case (${COLD_KEYS.toLocaleString('en')} keys in turn, twice the index's capacity, so nearly every request reads the database): ${fixed(r.ratios.cold)} (CPU ${fixed(r.ratios.coldCpu)}).`;
      return {
        name: 'instances',
        goals: [
          goal('SQLite: whoami ÷ /health, same server', sqlite.ratios.hot, '>=', 0.8, `${sqliteKeys.toLocaleString('en')} keys; ${how(sqlite)}`),
          goal('PostgreSQL: whoami ÷ /health, same server', pg.ratios.hot, '>=', 0.8, `${POSTGRES_KEYS.toLocaleString('en')} keys; ${how(pg)}`),
          goal('PostgreSQL whoami ÷ SQLite whoami', pgOverSqlite, '>=', 0.9, `hot-key req/s, ${fixed(pg.medians.hotRps, 0)} ÷ ${fixed(sqlite.medians.hotRps, 0)}; cold: ${fixed(pg.medians.coldRps / sqlite.medians.coldRps)}`),
          report(
            'PostgreSQL: two instances ÷ one',
            twoOverOne,
            `whoami req/s of two instances loaded side by side (25 connections each) ÷ one instance (50): ${fixed(median(twoRuns), 0)} ÷ ${fixed(median(oneRuns), 0)}. ` +
              'Bounded here by the 2 cores the instances share with two load generators and PostgreSQL itself: a second instance adds no CPU.',
          ),
          report('revocation latency across instances, p99 of DELETE on A (ms)', pgRevocation.p99, `PostgreSQL, three instances: p50 ${fixed(pgRevocation.p50, 1)} ms, p99 ${fixed(pgRevocation.p99, 1)} ms over ${DELETIONS} deletions, each key in use on B and C first; SQLite, two processes: p50 ${fixed(sqliteRevocation.p50, 1)}, p99 ${fixed(sqliteRevocation.p99, 1)} ms.`),
        ],
        details: { connections: CONNECTIONS, sqliteKeys, postgresKeys: POSTGRES_KEYS, coldKeys: COLD_KEYS, sqlite, postgres: pg, oneRuns, twoRuns, twoOverOne, sqliteRevocation, pgRevocation },
      };
    } finally {
      await Promise.all(servers.map((s) => s.stop().catch(() => {})));
      cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
