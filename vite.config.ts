import { defineConfig, type EnvironmentOptions, type Plugin } from 'vite';

/**
 * Three builds of the same elements:
 *
 * - **`dist/perso-kit.js` (served at `/kit/`)**: the whole kit for one `<script type="module">`,
 *   Lit included, as one file plus the chunks it loads only when needed (the screens nobody sees
 *   before acting, the error sentences, Korean strings, the WebAuthn library: see the README).
 *   One file because each file is gzipped on its own: split into the shared chunks of the
 *   per-element build, the same code cost about 4 KB more to download.
 * - **`dist/perso-<element>.js`**: each element alone. They share one Lit chunk
 *   (`dist/chunks/lit-*.js`), so two of them on one page load Lit once. (Next to
 *   `perso-kit.js`, which has its own Lit, they are harmless but redundant: the first
 *   definition of a tag wins, and client, session and strings are kept per page either way.)
 * - **`dist/npm/`** for bundlers (`import '@perso/kit'`): every entry with `lit` left as an
 *   import, so an app that uses Lit itself dedupes it.
 */
/** Each element alone. */
export const ELEMENT_ENTRIES = {
  'perso-signup': 'components/signup/perso-signup.ts',
  'perso-signin': 'components/signin/perso-signin.ts',
  'perso-api-keys': 'components/api-keys/perso-api-keys.ts',
  'perso-passkeys': 'components/passkeys/perso-passkeys.ts',
} as const;

/** Every entry of the package (the npm build). */
export const KIT_ENTRIES = { 'perso-kit': 'components/index.ts', ...ELEMENT_ENTRIES } as const;

const LIT = /^(lit|lit-html|lit-element|@lit\/[^/]+)(\/.*)?$/;
const LIT_IN_NODE_MODULES = /node_modules[\\/](lit|lit-html|lit-element|@lit[\\/][^\\/]+)[\\/]/;
/** The WebAuthn library is imported lazily (components/auth/passkey.ts): named, so the bench can report it apart. */
const WEBAUTHN = { name: 'webauthn', test: /node_modules[\\/]@simplewebauthn[\\/]browser[\\/]/ };

type Build = 'kit' | 'elements' | 'npm';

const environment = (outDir: string, build: Build): EnvironmentOptions => {
  const bundleLit = build !== 'npm';
  return {
    consumer: 'client',
    build: {
      outDir,
      // dist/ also holds the types, the server build and the other builds.
      emptyOutDir: false,
      target: 'es2022',
      minify: bundleLit,
      sourcemap: true,
      reportCompressedSize: false,
      copyPublicDir: false,
      lib: {
        entry: build === 'kit' ? { 'perso-kit': KIT_ENTRIES['perso-kit'] } : build === 'elements' ? ELEMENT_ENTRIES : KIT_ENTRIES,
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: {
        external: bundleLit ? [] : (id) => LIT.test(id),
        // perso-kit.js may gain exports, so what it shares with its lazy chunks (Lit, the base
        // element) stays inside it instead of becoming one more file to fetch before it runs.
        preserveEntrySignatures: build === 'kit' ? 'allow-extension' : 'strict',
        output: {
          chunkFileNames: 'chunks/[name]-[hash].js',
          // The per-element files: Lit in a chunk of its own, shared by every entry.
          codeSplitting:
            build === 'elements' ? { groups: [{ name: 'lit', test: LIT_IN_NODE_MODULES }, WEBAUTHN] } : build === 'kit' ? { groups: [WEBAUTHN] } : true,
          // Lib mode keeps whitespace for later tree shaking; the /kit/ files go straight to browsers.
          minify: bundleLit,
          comments: { annotation: !bundleLit, legal: true },
        },
      },
    },
  };
};

/**
 * Shrinks the text of the kit's templates, which minifiers keep as written:
 * - `css`: comments go, and whitespace goes wherever CSS ignores it (around `{ } ; , >`, after
 *   `:`, a rule's last `;`). Applied inside each literal part, never across a `${…}`, so a
 *   space next to an interpolated value stays. No rule here holds a string with those characters.
 * - `html` and `svg`: indentation after a line break goes (the line break stays, so text still
 *   has its space). Neither holds `<pre>`, `<textarea>` or `white-space: pre` content.
 * The sources keep their layout; tests run on the sources, e2e tests on this build.
 */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}');
}

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
            const text = code.slice(quasi.start, quasi.end);
            edits.push({ start: quasi.start, end: quasi.end, text: n.tag.name === 'css' ? minifyCss(text) : text.replace(/\n[ \t]+/g, '\n') });
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
    kit: environment('dist', 'kit'),
    elements: environment('dist', 'elements'),
    npm: environment('dist/npm', 'npm'),
  },
  builder: {
    async buildApp(builder) {
      // Sequential: two cores, and the builds are small.
      await builder.build(builder.environments.kit!);
      await builder.build(builder.environments.elements!);
      await builder.build(builder.environments.npm!);
    },
  },
});
