#!/usr/bin/env node
// `npm run test:consumer`: installs the package as a front-end app would and builds it.
// Packs the repo (`npm pack`, from the current dist/: run `npm run build` first), installs the
// tarball into a scratch Vite project in a temp dir, builds it with Vite, and fails unless
//   - no native module was built or installed and no server dependency came along, and
//   - the app's output holds exactly one copy of Lit although it imports two entries.
// The scratch app uses the repo's own Vite binary, so the install only fetches the kit and Lit
// (from the npm cache when it has them).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SERVER_DEPENDENCIES = ['better-sqlite3', 'postgres', '@node-rs/argon2', 'hono', '@hono/node-server', '@hono/zod-openapi', 'nodemailer', 'zod', 'tsx'];
const started = Date.now();
const failures = [];

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return `${result.stdout}\n${result.stderr}`;
}

async function files(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

if (!existsSync(join(root, 'dist/npm/perso-kit.js'))) {
  console.error('dist/npm/ is missing: run `npm run build` first.');
  process.exit(1);
}

const scratch = await mkdtemp(join(tmpdir(), 'perso-consumer-'));
try {
  // --ignore-scripts: prepack would rebuild; the test checks the build that just ran.
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], root))[0];
  const tarball = join(scratch, packed.filename);
  const app = join(scratch, 'app');
  await writeFile(join(scratch, 'package.json'), '{}');
  await run('mkdir', ['-p', join(app, 'src')]);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { '@perso/kit': `file:${tarball}` } }));
  await writeFile(join(app, 'index.html'), '<!doctype html><html lang="en"><body><perso-signup></perso-signup><perso-api-keys></perso-api-keys><script type="module" src="/src/main.ts"></script></body></html>');
  // Two entries on purpose: each would carry its own Lit if the package bundled it.
  await writeFile(join(app, 'src/main.ts'), "import '@perso/kit/signup';\nimport { PersoApiKeys } from '@perso/kit';\nconsole.log(customElements.get('perso-api-keys') === PersoApiKeys);\n");

  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts'], app);
  const modules = join(app, 'node_modules');
  for (const name of SERVER_DEPENDENCIES) if (existsSync(join(modules, name))) failures.push(`a front-end install brought the server dependency ${name}`);
  const native = (await files(modules)).filter((file) => file.endsWith('.node') || file.includes('/build/Release/'));
  if (native.length) failures.push(`native modules were installed: ${native.slice(0, 3).join(', ')}`);
  if (/node-gyp|prebuild-install|gyp info/.test(install)) failures.push('an install script ran a native build');

  run(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn', '--outDir', 'out'], app);
  const output = (await files(join(app, 'out'))).filter((file) => file.endsWith('.js'));
  let litCopies = 0;
  for (const file of output) litCopies += ((await readFile(file, 'utf8')).match(/litHtmlVersions/g) ?? []).length;
  if (litCopies !== 1) failures.push(`the app's build holds ${litCopies} copies of Lit (lit-html), not 1`);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length) {
    console.error(`consumer test failed (${seconds} s):\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log(`consumer test passed in ${seconds} s: ${packed.filename} installed without native builds or server dependencies; one copy of Lit in the app's build.`);
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
