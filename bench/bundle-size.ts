/**
 * Size of the kit as browsers download it from `/kit/` (`dist/`, the Lit-bundled build): each
 * entry with every chunk it imports statically, each file gzipped at level 9 (node:zlib) and
 * summed, as a browser fetches them. Reported: the whole kit in English (`perso-kit.js` and its
 * chunks; goal ≤ 20 KB), each element alone, the Korean pack (loaded only on Korean pages), and
 * Lit's share. Run alone with `npx tsx bench/bundle-size.ts` (prints JSON), or as a section of
 * `npm run bench`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import { goal, type Section } from './section.js';

/** 20 KB, counted as 20 000 bytes (the stricter reading). */
export const KIT_BUDGET_GZIP_BYTES = 20_000;

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = `${ROOT}dist/`;
const ENTRIES = ['perso-kit.js', 'perso-signup.js', 'perso-signin.js', 'perso-api-keys.js', 'perso-passkeys.js'] as const;
/** Static imports only (`from"./x.js"`, `import"./x.js"`); `import(…)` is a lazy chunk. */
const STATIC_IMPORT = /(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /import\(\s*[`"'](\.{1,2}\/[^`"']+)[`"']\s*\)/g;

export interface BundleFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface EntrySize {
  entry: string;
  /** The entry and every chunk it loads before it runs. */
  files: BundleFile[];
  gzipBytes: number;
}

export interface BundleSizes {
  entries: EntrySize[];
  /** `perso-kit.js` and its static chunks: every element, Lit included, English. */
  kitGzipBytes: number;
  /** The Korean strings, fetched only by pages in Korean. */
  koreanGzipBytes: number;
  /** @simplewebauthn/browser, fetched only once a passkey method is shown or used. */
  webauthnGzipBytes: number;
  /** Lit's chunk, part of every entry. */
  litGzipBytes: number;
  budgetGzipBytes: number;
  withinBudget: boolean;
}

async function measureFile(file: string): Promise<BundleFile & { code: string }> {
  const code = await readFile(`${DIST}${file}`);
  return { file, bytes: code.length, gzipBytes: gzipSync(code, { level: constants.Z_BEST_COMPRESSION }).length, code: code.toString('utf8') };
}

const resolve = (from: string, specifier: string) => new URL(specifier, `file:///${from}`).pathname.slice(1);

/** An entry with the closure of its static imports; lazy chunks it names go to `lazy`. */
async function measureEntry(entry: string, lazy: Set<string>): Promise<EntrySize> {
  const seen = new Map<string, BundleFile>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    const { code, ...size } = await measureFile(file);
    seen.set(file, size);
    for (const [, specifier] of code.matchAll(STATIC_IMPORT)) queue.push(resolve(file, specifier!));
    for (const [, specifier] of code.matchAll(DYNAMIC_IMPORT)) lazy.add(resolve(file, specifier!));
  }
  const files = [...seen.values()];
  return { entry, files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}

/** Builds the kit (unless `build: false`) and measures dist/. */
export async function measureBundle(options: { build?: boolean } = {}): Promise<BundleSizes> {
  if (options.build !== false) {
    const { createBuilder } = await import('vite');
    const builder = await createBuilder({ root: ROOT, configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
    await builder.build(builder.environments.kit!);
  }
  const lazy = new Set<string>();
  const entries: EntrySize[] = [];
  for (const entry of ENTRIES) entries.push(await measureEntry(entry, lazy));
  const korean = [...lazy].find((file) => /(^|\/)ko-[^/]*\.js$/.test(file));
  if (!korean) throw new Error('No lazily loaded Korean chunk (chunks/ko-*.js) in dist/.');
  const webauthn = [...lazy].find((file) => /(^|\/)webauthn-[^/]*\.js$/.test(file));
  if (!webauthn) throw new Error('No lazily loaded WebAuthn chunk (chunks/webauthn-*.js) in dist/.');
  const lit = entries[0]!.files.find((f) => /(^|\/)lit-[^/]*\.js$/.test(f.file));
  if (!lit) throw new Error('No shared Lit chunk (chunks/lit-*.js) in dist/.');
  const kitGzipBytes = entries[0]!.gzipBytes;
  return {
    entries,
    kitGzipBytes,
    koreanGzipBytes: (await measureFile(korean)).gzipBytes,
    webauthnGzipBytes: (await measureFile(webauthn)).gzipBytes,
    litGzipBytes: lit.gzipBytes,
    budgetGzipBytes: KIT_BUDGET_GZIP_BYTES,
    withinBudget: kitGzipBytes <= KIT_BUDGET_GZIP_BYTES,
  };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

export const bundleSizeSection: Section = {
  name: 'bundle-size',
  async run() {
    console.log('\n== bundle size (dist/ as served at /kit/, each file gzip -9, summed) ==');
    const sizes = await measureBundle();
    for (const { entry, files, gzipBytes } of sizes.entries) console.log(`  ${entry.padEnd(20)} ${kb(gzipBytes).padStart(8)} gzip  (${files.length} files)`);
    console.log(`  ${'Korean pack'.padEnd(20)} ${kb(sizes.koreanGzipBytes).padStart(8)} gzip  (loaded only on Korean pages)`);
    console.log(`  ${'WebAuthn library'.padEnd(20)} ${kb(sizes.webauthnGzipBytes).padStart(8)} gzip  (loaded only when a passkey method is on)`);
    console.log(`  ${'of which Lit'.padEnd(20)} ${kb(sizes.litGzipBytes).padStart(8)} gzip  (${Math.round((100 * sizes.litGzipBytes) / sizes.kitGzipBytes)}% of the kit)`);
    return {
      name: 'bundle-size',
      goals: [
        goal(
          'perso-kit.js gzip bytes',
          sizes.kitGzipBytes,
          '<=',
          KIT_BUDGET_GZIP_BYTES,
          'dist/perso-kit.js and the chunks it imports statically (every element, Lit included, English only), each gzipped at level 9 with node:zlib and summed, after a fresh `vite build` of the /kit/ build.',
        ),
      ],
      details: sizes,
    };
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await measureBundle(), null, 2));
}
