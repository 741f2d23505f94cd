import { configDefaults, defineConfig } from 'vitest/config';

/** Files of one backend only, by the end of their name: `store/sqlite.test.ts`, `revocation-sqlite.test.ts`, `x.postgres.test.ts`… */
const sqliteOnly = ['test/server/**/*sqlite.test.ts'];
const postgresOnly = ['test/server/**/*postgres.test.ts'];

// Every suite that reaches a store runs twice, once per backend (PERSO_TEST_STORE picks the
// harness's store). `vitest run --project sqlite|postgres` runs one of them.
export default defineConfig({
  test: {
    include: ['test/server/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', env: { PERSO_TEST_STORE: 'sqlite' }, exclude: [...configDefaults.exclude, ...postgresOnly] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          env: { PERSO_TEST_STORE: 'postgres' },
          // A throwaway cluster for the run, and a migrated template database to copy per test.
          globalSetup: ['test/server/store/postgres-cluster.ts'],
          exclude: [
            ...configDefaults.exclude,
            ...sqliteOnly,
            // Restarts on the same SQLite file, and main.ts serving one (store/postgres.test.ts starts main.ts on PostgreSQL).
            'test/server/restart.test.ts',
            // Watches the SQLite file through triggers; its store-free parts need no second run.
            'test/server/usage-recorder.test.ts',
            // Timing statistics (≈ 3 min): what they measure is the hashing path, which no store changes.
            'test/server/enumeration.test.ts',
            // Touch no store at all.
            'test/server/config.test.ts',
            'test/server/rate-limit.test.ts',
          ],
        },
      },
    ],
  },
});
