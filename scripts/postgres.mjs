#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests and benchmarks: the machine's PostgreSQL binaries
// (Debian's `postgresql` package is installed when there are none), `initdb` into a temp folder
// owned by an unprivileged user, a server on a free loopback port, and everything removed at the
// end — after the command, on Ctrl-C, or when something fails.
//
//   node scripts/postgres.mjs -- <command…>   runs the command with PERSO_TEST_DATABASE_URL set
//   import { startThrowawayCluster } from './postgres.mjs'   (the vitest global setup)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const say = (message) => console.log(`[postgres] ${message}`);
const isRoot = process.getuid?.() === 0;

/** The newest `/usr/lib/postgresql/<version>/bin` holding initdb and pg_ctl, or undefined. */
function findBinaries() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

/** Finds the binaries, installing Debian's `postgresql` package (as root) when they are missing. */
export function ensureBinaries() {
  const found = findBinaries();
  if (found) return found;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Install it, e.g. `sudo apt-get install -y postgresql`, or set PERSO_TEST_DATABASE_URL to a server of your own.');
  }
  say('no PostgreSQL binaries in /usr/lib/postgresql/*/bin: installing Debian’s postgresql package (apt-get, about a minute)');
  const apt = (...args) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt('update', '-q');
  apt('install', '-y', '-q', '--no-install-recommends', 'postgresql');
  const installed = findBinaries();
  if (!installed) throw new Error('apt-get installed postgresql but no initdb appeared under /usr/lib/postgresql/*/bin');
  return installed;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root: as root, the cluster belongs to `nobody` and its tools run as it. */
function asOwner(command, args) {
  return isRoot ? ['runuser', ['-u', 'nobody', '--', command, ...args]] : [command, args];
}

function run(command, args, what) {
  const [file, argv] = asOwner(command, args);
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}): ${result.stderr || result.stdout}`);
}

/**
 * Starts a cluster and returns its superuser URL (database `postgres`) and a `stop()` that
 * removes it. Settings trade durability for speed: the data is thrown away anyway.
 */
export async function startThrowawayCluster({ quiet = false } = {}) {
  const log = quiet ? () => {} : say;
  const bin = ensureBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'perso-pg-'));
  let started = false;
  const data = join(dir, 'data');
  const stop = () => {
    if (started) {
      const [file, argv] = asOwner(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      spawnSync(file, argv, { stdio: 'ignore' });
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A crash or exit() between start and stop would leave a postgres running and the folder behind.
  const onExit = () => stop();
  process.once('exit', onExit);
  try {
    if (isRoot) {
      const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
      const nogroup = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
      chownSync(dir, nobody, nogroup);
    }
    log(`initdb ${data} with ${bin}${isRoot ? ' (as nobody: initdb refuses root)' : ''}`);
    run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], 'initdb');
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
    ].join(' ');
    log(`pg_ctl start on 127.0.0.1:${port} (fsync off, sockets in ${dir})`);
    run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '30', 'start'], 'pg_ctl start');
    started = true;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dir,
      log: () => (existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : ''),
      stop() {
        process.removeListener('exit', onExit);
        log(`stopping the cluster on port ${port} and removing ${dir}`);
        stop();
      },
    };
  } catch (error) {
    process.removeListener('exit', onExit);
    stop();
    throw error;
  }
}

async function main() {
  const dashes = process.argv.indexOf('--');
  const command = dashes === -1 ? process.argv.slice(2) : process.argv.slice(dashes + 1);
  if (!command.length) {
    console.error('usage: node scripts/postgres.mjs -- <command…>   (runs it with PERSO_TEST_DATABASE_URL set)');
    process.exit(2);
  }
  const cluster = await startThrowawayCluster();
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, PERSO_TEST_DATABASE_URL: cluster.url } });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('close', (code, signal) => {
    cluster.stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`[postgres] ${error.message}`);
    process.exit(1);
  });
}
