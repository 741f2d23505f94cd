import { defineConfig, type EnvironmentOptions } from 'vite';

/**
 * Two builds of the same elements:
 *
 * - **`dist/` (served at `/kit/`)** for `<script type="module">`: `perso-kit.js` defines every
 *   element, and each element also has a file of its own. Lit is bundled, so a page needs no
 *   import map; the per-element files share one Lit chunk (`dist/chunks/lit-*.js`), so two of
 *   them on one page load Lit once. Korean strings are a chunk loaded on first use.
 * - **`dist/npm/`** for bundlers (`import '@perso/kit'`): the same entries with `lit`,
 *   `@lit/context` and `@lit/task` left as imports, so an app that uses Lit itself dedupes it.
 */
export const KIT_ENTRIES = {
  'perso-kit': 'components/index.ts',
  'perso-signup': 'components/signup/perso-signup.ts',
  'perso-signin': 'components/signin/perso-signin.ts',
  'perso-api-keys': 'components/api-keys/perso-api-keys.ts',
  'perso-passkeys': 'components/passkeys/perso-passkeys.ts',
} as const;

const LIT = /^(lit|lit-html|lit-element|@lit\/[^/]+)(\/.*)?$/;
const LIT_IN_NODE_MODULES = /node_modules[\\/](lit|lit-html|lit-element|@lit[\\/][^\\/]+)[\\/]/;

const environment = (outDir: string, options: { bundleLit: boolean }): EnvironmentOptions => ({
  consumer: 'client',
  build: {
    outDir,
    // dist/ also holds the types, the server build and the other kit build.
    emptyOutDir: false,
    target: 'es2022',
    minify: options.bundleLit,
    sourcemap: true,
    reportCompressedSize: false,
    copyPublicDir: false,
    lib: { entry: KIT_ENTRIES, formats: ['es'], fileName: (_format, name) => `${name}.js` },
    rolldownOptions: {
      external: options.bundleLit ? [] : (id) => LIT.test(id),
      output: {
        chunkFileNames: 'chunks/[name]-[hash].js',
        // Lit in a chunk of its own, shared by every entry that imports it.
        // The WebAuthn library is imported lazily (components/auth/passkey.ts): named, so the
        // bundle-size bench can report it apart.
        codeSplitting: options.bundleLit
          ? {
              groups: [
                { name: 'lit', test: LIT_IN_NODE_MODULES },
                { name: 'webauthn', test: /node_modules[\\/]@simplewebauthn[\\/]browser[\\/]/ },
              ],
            }
          : true,
        // Lib mode keeps whitespace for later tree shaking; the /kit/ files go straight to browsers.
        minify: options.bundleLit,
        comments: { annotation: !options.bundleLit, legal: true },
      },
    },
  },
});

export default defineConfig({
  // Decorators: Vite compiles them from tsconfig.json (experimentalDecorators and
  // useDefineForClassFields: false); without the latter elements never re-render.
  publicDir: false,
  logLevel: 'warn',
  environments: {
    kit: environment('dist', { bundleLit: true }),
    npm: environment('dist/npm', { bundleLit: false }),
  },
  builder: {
    async buildApp(builder) {
      // Sequential: two cores, and the builds are small.
      await builder.build(builder.environments.kit!);
      await builder.build(builder.environments.npm!);
    },
  },
});
