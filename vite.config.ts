import { defineConfig, type EnvironmentOptions } from 'vite';

/**
 * The kit as plain ES modules for `<script type="module">`: `perso-kit.js` defines every
 * element, and each element also has a file of its own. Every file is self-contained (Lit
 * included, no chunk imports), so embedding needs exactly one script tag.
 *
 * Rolldown shares chunks between the entries of one build, so each file is its own build
 * environment; `vite build` runs them all (`builder.buildApp`).
 */
export const KIT_ENTRIES = {
  'perso-kit': 'components/index.ts',
  'perso-signup': 'components/signup/perso-signup.ts',
  'perso-signin': 'components/signin/perso-signin.ts',
  'perso-api-keys': 'components/api-keys/perso-api-keys.ts',
} as const;

const environment = (name: string, entry: string): EnvironmentOptions => ({
  consumer: 'client',
  build: {
    outDir: 'dist',
    // dist/ also holds the types and the server build; each build writes only its own file.
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    reportCompressedSize: false,
    copyPublicDir: false,
    lib: { entry, formats: ['es'], fileName: () => `${name}.js` },
    // Lib mode leaves whitespace in ES output for later tree shaking; these files go straight
    // to browsers, so minify fully.
    rolldownOptions: { output: { codeSplitting: false, minify: true, comments: { annotation: false, legal: true } } },
  },
});

export default defineConfig({
  // Decorators: Vite compiles them from tsconfig.json (experimentalDecorators and
  // useDefineForClassFields: false); without the latter elements never re-render.
  publicDir: false,
  logLevel: 'warn',
  environments: Object.fromEntries(
    Object.entries(KIT_ENTRIES).map(([name, entry]) => [name.replaceAll('-', '_'), environment(name, entry)]),
  ),
  builder: {
    async buildApp(builder) {
      // Sequential: two cores, and the builds are small (about a second each).
      for (const name of Object.keys(KIT_ENTRIES)) await builder.build(builder.environments[name.replaceAll('-', '_')]!);
    },
  },
});
