import MagicString from 'magic-string';
import { defineConfig, type EnvironmentOptions, type Plugin } from 'vite';

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
  plugins: [minifyCssLiterals()],
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

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/**
 * Squeezes the whitespace and comments out of Lit's css`…` literals in the kit's own modules:
 * about a fifth of the kit's raw bytes are stylesheet indentation. Only the static text
 * between interpolations changes, and only in ways CSS ignores, so `${…}` parts stay intact.
 */
function minifyCssLiterals(include = /\/components\/.*\.ts$/): Plugin {
  return {
    name: 'perso:minify-css-literals',
    apply: 'build',
    transform: {
      order: 'post',
      handler(code, id) {
        if (!include.test(id) || !code.includes('css`')) return null;
        const s = new MagicString(code);
        walk(this.parse(code) as unknown as Node, (node) => {
          if (node.type !== 'TaggedTemplateExpression') return;
          const tag = node.tag as Node & { name?: string };
          if (tag.type !== 'Identifier' || tag.name !== 'css') return;
          const quasis = (node.quasi as Node & { quasis: (Node & { value: { raw: string } })[] }).quasis;
          quasis.forEach((quasi, index) => {
            const raw = quasi.value.raw;
            // Positions differ between parsers; only touch text found exactly where expected.
            if (code.slice(quasi.start, quasi.end) !== raw || raw.length === 0) return;
            let css = squeeze(raw);
            if (index === 0) css = css.trimStart();
            if (index === quasis.length - 1) css = css.trimEnd();
            if (css !== raw) s.overwrite(quasi.start, quasi.end, css);
          });
        });
        return s.hasChanged() ? { code: s.toString(), map: s.generateMap({ hires: 'boundary', source: id }) } : null;
      },
    },
  };
}

/** Comments go; quoted strings (e.g. `content: 'a, b'`) stay as written. */
function squeeze(css: string): string {
  return css
    .split(/(\/\*[\s\S]*?\*\/|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/)
    .map((part, index) => {
      if (index % 2) return part.startsWith('/*') ? '' : part;
      return part.replace(/\s+/g, ' ').replace(/ ?([{};,>]) ?/g, '$1').replace(/: /g, ':').replace(/;}/g, '}');
    })
    .join('');
}

function walk(node: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
    return;
  }
  if (!node || typeof node !== 'object' || typeof (node as Node).type !== 'string') return;
  visit(node as Node);
  for (const value of Object.values(node)) if (value && typeof value === 'object') walk(value, visit);
}
