import { defineConfig, type EnvironmentOptions, type Plugin } from 'vite';

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

/**
 * Drops the indentation inside the kit's `html`, `css` and `svg` templates, and the comments in
 * its `css`: minifiers keep template text as written, and in these templates neither is
 * significant (no `<pre>`, no `white-space: pre`). Line breaks stay, so source maps still point
 * at the right lines. About 0.6 KB gzip off the kit; the sources keep their layout.
 */
function trimTemplates(): Plugin {
  const TAGS = new Set(['html', 'css', 'svg']);
  return {
    name: 'perso-trim-templates',
    enforce: 'post',
    transform(code, id) {
      if (!/[\\/]components[\\/].*\.ts$/.test(id) || !/(html|css|svg)`/.test(code)) return null;
      const edits: Array<{ start: number; end: number; text: string }> = [];
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach(visit);
        const n = node as { type?: string; tag?: { type: string; name: string }; quasi?: { quasis: Array<{ start: number; end: number }> } };
        if (n.type === 'TaggedTemplateExpression' && n.tag?.type === 'Identifier' && TAGS.has(n.tag.name)) {
          for (const quasi of n.quasi!.quasis) {
            let text = code.slice(quasi.start, quasi.end);
            if (n.tag.name === 'css') text = text.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ''));
            edits.push({ start: quasi.start, end: quasi.end, text: text.replace(/\n[ \t]+/g, '\n') });
          }
        }
        for (const value of Object.values(node)) visit(value);
      };
      visit(this.parse(code));
      if (edits.length === 0) return null;
      let out = '';
      let at = 0;
      for (const edit of edits.sort((a, b) => a.start - b.start)) {
        out += code.slice(at, edit.start) + edit.text;
        at = edit.end;
      }
      return { code: out + code.slice(at), map: null };
    },
  };
}

export default defineConfig({
  plugins: [trimTemplates()],
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
