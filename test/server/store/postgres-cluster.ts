import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { ensureBinaries, startThrowawayCluster } from '../../../scripts/postgres.mjs';
import { openPostgresStore } from '../../../server/store/postgres/store.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser's URL on the test server. */
    postgresUrl: string;
    /** The migrated database every test database is copied from. */
    postgresTemplate: string;
    /** The folder of PostgreSQL's programs (psql). */
    postgresBin: string;
  }
}

/** The URL of database `name` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Global setup of the PostgreSQL run: a throwaway cluster (or the server named by
 * PERSO_TEST_DATABASE_URL), and one migrated template database that each test copies
 * (CREATE DATABASE … TEMPLATE takes milliseconds; migrating takes longer).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.PERSO_TEST_DATABASE_URL;
  const cluster = external ? undefined : await startThrowawayCluster();
  const url = external ?? cluster!.url;
  const template = `perso_template_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${template}`);
    await admin.unsafe(`CREATE DATABASE ${template}`);
    await (await openPostgresStore(databaseUrl(url, template), { max: 1 })).close();
  } catch (error) {
    await admin.end();
    cluster?.stop();
    throw error;
  }
  project.provide('postgresUrl', url);
  project.provide('postgresTemplate', template);
  project.provide('postgresBin', ensureBinaries());
  return async () => {
    // The template and every copy of it, including the spare each worker made for a next test.
    const copies = await admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname = ${template} OR datname LIKE ${`${template.replaceAll('_', '\_')}\_%`}`;
    for (const { datname } of copies) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
    await admin.end();
    cluster?.stop();
  };
}
