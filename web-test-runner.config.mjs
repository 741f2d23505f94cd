import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium.mjs';

// Chromium inherits this zone: end-of-day expiry must be computed in the user's zone, and in
// UTC a wrong conversion would pass unnoticed.
process.env.TZ ??= 'America/New_York';

const executablePath = chromiumPath();
if (!existsSync(executablePath)) {
  throw new Error(
    `Chromium not found at ${executablePath}. Run \`npm run browser\` (or \`apt-get install -y chromium\`), or set CHROME_PATH to a Chrome/Chromium binary.`,
  );
}

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: 'test/components/**/*.test.ts',
  nodeResolve: true,
  // One page at a time: a background tab does not get focus, and the tests check where focus goes.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 120_000,
  testFramework: { config: { timeout: 5_000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
};
