#!/usr/bin/env node
// `npm run test:readme`: every ```ts block of README.md compiles under `strict`, importing the
// package by its public names (`@perso/kit`, `@perso/kit/server`, …) mapped to the sources.
// A failing example is printed with the compiler's message.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = await readFile(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
if (blocks.length === 0) {
  console.error('README.md has no ```ts examples: this check would prove nothing.');
  process.exit(1);
}

// Inside the repo, so `hono`, `lit` and the rest resolve from its node_modules.
const dir = await mkdtemp(join(root, '.readme-examples-'));
try {
  const names = [];
  for (const [index, code] of blocks.entries()) {
    const name = `example-${index + 1}.ts`;
    names.push(name);
    // `export {}` makes each example a module of its own, as it would be in an app.
    await writeFile(join(dir, name), `${code}\nexport {};\n`);
  }
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: {
        strict: true,
        noEmit: true,
        noUnusedLocals: false,
        paths: {
          '@perso/kit': ['../components/index.ts'],
          '@perso/kit/server': ['../server/index.ts'],
          '@perso/kit/signup': ['../components/signup/perso-signup.ts'],
          '@perso/kit/signin': ['../components/signin/perso-signin.ts'],
          '@perso/kit/api-keys': ['../components/api-keys/perso-api-keys.ts'],
          '@perso/kit/jsx': ['../components/types/jsx.ts'],
        },
      },
      include: names,
    }),
  );
  const result = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`README examples do not type-check:\n${result.stdout}${result.stderr}`);
    process.exitCode = 1;
  } else {
    console.log(`${blocks.length} README examples type-check under strict.`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
