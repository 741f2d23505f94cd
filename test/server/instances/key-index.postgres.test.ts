/** Two apps on one PostgreSQL database, each with its key index, lease and listener. */
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, countCalls, createKey, v1 } from '../api-keys.helpers.js';
import { createHarness, type Harness, TestClock } from '../helpers.js';
import { createTestDatabase, type TestDatabase } from '../store/test-stores.js';
import { sleep } from './cluster.js';

describe('the key index on PostgreSQL', () => {
  let database: TestDatabase;
  let a: Harness;
  let b: Harness;
  afterEach(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  const trusted = async (h: Harness) => {
    for (let i = 0; i < 100 && !h.verifiedKeys!.trusted(); i++) await sleep(20);
    expect(h.verifiedKeys!.trusted()).toBe(true);
  };

  it('answers a verified key from memory, and a deletion through the other instance returns only once this one refuses the key', async () => {
    database = await createTestDatabase();
    const clock = new TestClock();
    a = createHarness({ database, clock });
    b = createHarness({ database, clock });
    await a.signUpVerified('ada@example.com');
    const { key, secret } = await createKey(a);
    await Promise.all([trusted(a), trusted(b)]);

    expect((await v1(b, '/v1/whoami', bearer(secret))).status).toBe(200);
    const reads = countCalls(b.store, 'findApiKeyByHash');
    for (let i = 0; i < 20; i++) expect((await v1(b, '/v1/whoami', bearer(secret))).status).toBe(200);
    expect(reads.calls).toBe(0);

    expect((await a.call('DELETE', `/api/keys/${key.id}`)).status).toBe(204);
    // No wait at all: the 204 came after B had applied the revocation.
    expect((await v1(b, '/v1/whoami', bearer(secret))).status).toBe(401);
  });

  it('an instance whose lease is not renewed stops answering from memory and reads the database', async () => {
    database = await createTestDatabase();
    a = createHarness({ database });
    await a.signUpVerified('ada@example.com');
    const { secret } = await createKey(a);
    await trusted(a);
    expect((await v1(a, '/v1/whoami', bearer(secret))).status).toBe(200);
    await a.verifiedKeys!.stop(); // no renewals, no listener: what a lost database connection looks like
    expect(a.verifiedKeys!.trusted()).toBe(false);
    const reads = countCalls(a.store, 'findApiKeyByHash');
    expect((await v1(a, '/v1/whoami', bearer(secret))).status).toBe(200);
    expect(reads.calls).toBe(1);
  });
});
