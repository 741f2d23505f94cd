/** Runs one load (bench/load.ts) in its own process, so the generator never shares the server's or the bench's event loop. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LoadResult, LoadSpec } from './load.js';
import type { PacedResult, PacedSpec } from './paced-load.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/load.ts', JSON.stringify(spec)], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as LoadResult;
}

/** Runs one paced steady load (bench/paced-load.ts) in its own process. */
export async function runPaced(spec: PacedSpec): Promise<PacedResult> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/paced-load.ts', JSON.stringify(spec)], { cwd: ROOT, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as PacedResult;
}
