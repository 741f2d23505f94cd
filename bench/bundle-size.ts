/**
 * Size of the built kit as browsers download it: every file of `npm run build:kit`, raw and
 * gzipped at level 9 (node:zlib). Budget: all elements together, Lit included, ≤ 25 KB gzip.
 * Run alone with `npx tsx bench/bundle-size.ts` (prints JSON), or as a section of `npm run bench`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import { goal, type Section } from './section.js';

/** 25 KB, counted as 25 000 bytes (the stricter reading). */
export const KIT_BUDGET_GZIP_BYTES = 25_000;

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FILES = ['perso-kit.js', 'perso-signup.js', 'perso-signin.js', 'perso-api-keys.js'] as const;

export interface BundleFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BundleSizes {
  files: BundleFile[];
  /** dist/perso-kit.js gzipped: every element, Lit included. */
  kitGzipBytes: number;
  budgetGzipBytes: number;
  withinBudget: boolean;
}

/** Builds the kit (unless `build: false`) and measures dist/. */
export async function measureBundle(options: { build?: boolean } = {}): Promise<BundleSizes> {
  if (options.build !== false) {
    const { createBuilder } = await import('vite');
    const builder = await createBuilder({ root: ROOT, configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
    await builder.buildApp();
  }
  const files: BundleFile[] = [];
  for (const file of FILES) {
    const code = await readFile(`${ROOT}dist/${file}`);
    files.push({ file, bytes: code.length, gzipBytes: gzipSync(code, { level: constants.Z_BEST_COMPRESSION }).length });
  }
  const kitGzipBytes = files[0]!.gzipBytes;
  return { files, kitGzipBytes, budgetGzipBytes: KIT_BUDGET_GZIP_BYTES, withinBudget: kitGzipBytes <= KIT_BUDGET_GZIP_BYTES };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

export const bundleSizeSection: Section = {
  name: 'bundle-size',
  async run() {
    console.log('\n== bundle size (dist/, gzip -9) ==');
    const sizes = await measureBundle();
    for (const { file, bytes, gzipBytes } of sizes.files) console.log(`  ${file.padEnd(20)} ${kb(bytes).padStart(9)} raw  ${kb(gzipBytes).padStart(8)} gzip`);
    return {
      name: 'bundle-size',
      goals: [
        goal(
          'perso-kit.js gzip bytes',
          sizes.kitGzipBytes,
          '<=',
          KIT_BUDGET_GZIP_BYTES,
          'dist/perso-kit.js (every element, Lit included, minified) gzipped at level 9 with node:zlib, after a fresh `vite build`.',
        ),
      ],
      details: sizes,
    };
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await measureBundle(), null, 2));
}
