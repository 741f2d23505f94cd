#!/usr/bin/env node
// `npm test`: every suite, in the order that lets later ones use earlier outputs (the e2e tests
// load the built kit; the story check opens the built Storybook). Runs them all, then reports
// each step and the total number of tests.
import { spawn, spawnSync } from 'node:child_process';

const chrome = spawnSync('bash', ['scripts/ensure-chromium.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (chrome.status !== 0) process.exit(chrome.status ?? 1);
const env = { ...process.env, CHROME_PATH: chrome.stdout.trim(), STORYBOOK_DISABLE_TELEMETRY: '1' };

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;
/** How each runner states its counts in its closing lines. */
const counters = {
  vitest: (out) => ({ passed: last(out, /Tests\s+(?:(\d+) failed \| )?(\d+) passed/, 2), failed: last(out, /Tests\s+(\d+) failed/, 1) }),
  wtr: (out) => ({ passed: last(out, /(\d+) passed, \d+ failed/, 1), failed: last(out, /\d+ passed, (\d+) failed/, 1) }),
  stories: (out) => ({ passed: last(out, /(\d+) stories rendered/, 1), failed: 0 }),
};

function last(output, pattern, group) {
  const matches = [...output.replace(ANSI, '').matchAll(new RegExp(pattern, 'g'))];
  return matches.length ? Number(matches.at(-1)[group] ?? 0) : 0;
}

const steps = [
  ['typecheck', 'typecheck'],
  ['server tests on SQLite (vitest)', 'test:server:sqlite', 'vitest'],
  ['server tests on PostgreSQL (vitest, throwaway cluster)', 'test:server:postgres', 'vitest'],
  ['build (kit, types, manifest)', 'build'],
  ['README examples type-check (strict)', 'test:readme'],
  ['front-end install of the packed tarball (no native build, one Lit)', 'test:consumer'],
  ['component tests (web-test-runner, Chromium)', 'test:components', 'wtr'],
  ['end-to-end tests (playwright-core, Chromium)', 'test:e2e', 'vitest'],
  ['Storybook build', 'build-storybook'],
  ['stories render, play and pass axe (Chromium)', 'test:stories', 'stories'],
];

function runStep(script) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn('npm', ['run', '--silent', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const results = [];
for (const [name, script, counter] of steps) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const { code, output } = await runStep(script);
  const counts = counter ? counters[counter](output) : { passed: 0, failed: 0 };
  results.push({ name, ok: code === 0, seconds: (Date.now() - started) / 1000, ...counts });
}

console.log('\nSummary');
for (const r of results) {
  const tests = r.passed || r.failed ? `, ${r.passed} passed${r.failed ? `, ${r.failed} failed` : ''}` : '';
  console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s${tests})`);
}
const failedSteps = results.filter((r) => !r.ok).length;
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + (failedSteps && !results.some((r) => r.failed) ? failedSteps : 0);
console.log(failedSteps ? `${failedSteps} of ${results.length} steps failed` : `all ${results.length} steps passed`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps ? 1 : 0);
