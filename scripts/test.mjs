#!/usr/bin/env node
// `npm test`: every suite, in the order that lets later ones use earlier outputs (the e2e tests
// load the built kit; Storybook reads the built manifest). Runs them all, then reports.
import { spawnSync } from 'node:child_process';

const run = (command, args, env = {}) =>
  spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env }, shell: false });

const chrome = spawnSync('bash', ['scripts/ensure-chromium.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (chrome.status !== 0) process.exit(chrome.status ?? 1);
const CHROME_PATH = chrome.stdout.trim();

const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['server tests (vitest)', 'npm', ['run', '--silent', 'test:server']],
  ['build (kit, types, manifest)', 'npm', ['run', '--silent', 'build']],
  ['component tests (web-test-runner, Chromium)', 'npm', ['run', '--silent', 'test:components']],
  ['end-to-end tests (playwright-core, Chromium)', 'npm', ['run', '--silent', 'test:e2e']],
  ['Storybook build', 'npm', ['run', '--silent', 'build-storybook']],
  ['Storybook stories render, play and pass axe (Chromium)', 'npm', ['run', '--silent', 'test:stories']],
];

const results = [];
for (const [name, command, args] of steps) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const { status } = run(command, args, { CHROME_PATH, STORYBOOK_DISABLE_TELEMETRY: '1' });
  results.push({ name, ok: status === 0, seconds: (Date.now() - started) / 1000 });
}

console.log('\nSummary');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
