/**
 * `npm run bench`: runs each section in turn, prints its goals and writes one combined JSON to
 * bench/results/. Options: --duration=SECONDS --runs=N --large-keys=N --flood-requests=N --only=name,name
 * --parts=part,part (a section's parts, e.g. hostile-load's memory,starvation,refusals,key-list).
 * A new section is one more entry in SECTIONS.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { apiKeysSection } from './api-keys.js';
import { betterAuthSection } from './better-auth.js';
import { bundleSizeSection } from './bundle-size.js';
import { hostileLoadSection } from './hostile-load.js';
import { instancesSection } from './instances.js';
import type { BenchOptions, Section, SectionResult } from './section.js';

const SECTIONS: Section[] = [bundleSizeSection, apiKeysSection, instancesSection, betterAuthSection, hostileLoadSection];

function parseOptions(argv: string[]): BenchOptions & { only?: string[] } {
  const flags = new Map(argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=') as [string, string]));
  const number = (name: string, fallback: number) => {
    const value = flags.has(name) ? Number(flags.get(name)) : fallback;
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
    return value;
  };
  return {
    durationSeconds: number('duration', 10),
    runs: number('runs', 3),
    largeKeys: number('large-keys', 1_000_000),
    // 10^6 took 17 minutes on the shared 2-core machine (load average 3–5); see README "Benchmarks".
    floodRequests: number('flood-requests', 200_000),
    only: flags.get('only')?.split(','),
    parts: flags.get('parts')?.split(','),
  };
}

const options = parseOptions(process.argv.slice(2));
const started = new Date();
const results: SectionResult[] = [];
for (const section of SECTIONS.filter((s) => !options.only || options.only.includes(s.name))) {
  results.push(await section.run(options));
}

console.log('\nGoals');
for (const { name, goals } of results) {
  for (const g of goals) {
    const verdict = g.compare === 'report' ? 'info' : g.met ? 'met ' : 'MISS';
    const target = g.compare === 'report' ? '' : ` (goal ${g.compare} ${g.goal})`;
    console.log(`  ${verdict}  ${name}: ${g.name} = ${Number(g.value.toPrecision(4))}${target}`);
    console.log(`        ${g.how}`);
  }
}

const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const report = {
  startedAt: started.toISOString(),
  seconds: (Date.now() - started.getTime()) / 1000,
  machine: { cpus: availableParallelism(), model: cpus()[0]?.model, node: process.version, platform: process.platform },
  options,
  sections: results,
};
const file = `${dir}bench-${started.toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${dir}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nResults: ${file} (also bench/results/latest.json), ${report.seconds.toFixed(0)} s in all`);
