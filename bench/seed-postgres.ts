/**
 * Fills a PostgreSQL database with users and API keys through batched `unnest` inserts (the
 * store's schema: its migrations run first), as bench/seed.ts does for SQLite.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { displayParts, hashApiKeySecret } from '../server/auth/api-key-secret.js';
import { openPostgresStore } from '../server/store/postgres/store.js';
import type { SeedResult } from './seed.js';

const BATCH = 20_000;

export async function seedPostgres(url: string, options: { users: number; keys: number; sample: number }): Promise<SeedResult> {
  const started = performance.now();
  const store = await openPostgresStore(url, { max: 2 });
  const { sql } = store;
  try {
    const since = Date.parse('2026-01-01T00:00:00Z');
    const userIds = Array.from({ length: options.users }, () => randomUUID());
    for (let i = 0; i < userIds.length; i += BATCH) {
      const ids = userIds.slice(i, i + BATCH);
      await sql`INSERT INTO users (id, email, organization_id, password_hash, email_verified_at, created_at)
        SELECT id, 'user' || n || '@bench.example', 'default', NULL, ${since}, ${since}
          FROM unnest(${sql.array(ids)}::text[]) WITH ORDINALITY AS u(id, n)`;
    }
    const secrets: string[] = [];
    const sampleEvery = options.keys / options.sample;
    for (let first = 0; first < options.keys; first += BATCH) {
      const count = Math.min(BATCH, options.keys - first);
      const random = randomBytes(16 * count);
      const rows = { id: [] as string[], user: [] as string[], name: [] as string[], hash: [] as string[], start: [] as string[], end: [] as string[], created: [] as number[] };
      for (let j = 0; j < count; j++) {
        const i = first + j;
        const secret = `pak-${random.toString('hex', j * 16, j * 16 + 16)}`;
        const { start, end } = displayParts(secret);
        rows.id.push(randomUUID());
        rows.user.push(userIds[Math.floor((i * options.users) / options.keys)]!);
        rows.name.push(`key ${i}`);
        rows.hash.push(hashApiKeySecret(secret).toString('hex'));
        rows.start.push(start);
        rows.end.push(end);
        rows.created.push(since + i);
        if (secrets.length < options.sample && i >= Math.floor(secrets.length * sampleEvery + sampleEvery / 2)) secrets.push(secret);
      }
      await sql`INSERT INTO api_keys (id, user_id, name, key_hash, key_start, key_end, expires_at, created_at)
        SELECT id, user_id, name, decode(hash, 'hex'), key_start, key_end, NULL, created_at
          FROM unnest(${sql.array(rows.id)}::text[], ${sql.array(rows.user)}::text[], ${sql.array(rows.name)}::text[], ${sql.array(rows.hash)}::text[],
                      ${sql.array(rows.start)}::text[], ${sql.array(rows.end)}::text[], ${sql.array(rows.created)}::bigint[])
            AS k(id, user_id, name, hash, key_start, key_end, created_at)`;
    }
    await sql`ANALYZE`;
    return { path: url, users: options.users, keys: options.keys, secrets, seconds: (performance.now() - started) / 1000 };
  } finally {
    await store.close();
  }
}
