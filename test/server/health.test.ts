import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { DevOutbox } from '../../server/mail/dev-outbox.js';
import { openSqliteStore } from '../../server/store/sqlite/store.js';
import { countCalls } from './api-keys.helpers.js';
import { createHarness, type Harness, testConfig } from './helpers.js';

describe('GET /health', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('answers {status:"ok"} without a session, a key or the database', async () => {
    h = createHarness();
    const reads = (['findSession', 'findUserById', 'findApiKeyByHash'] as const).map((m) => countCalls(h.store, m));
    const response = await h.app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({ status: 'ok' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(reads.map((r) => r.calls)).toEqual([0, 0, 0]);
  });

  it('is in the OpenAPI document', async () => {
    h = createHarness();
    const doc = (await (await h.app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/api/keys', '/api/keys/{id}', '/v1/whoami']));
  });

  it('routes every request with Hono\'s RegExpRouter, demo and dev routes included', async () => {
    h = createHarness();
    // One pattern Hono's fast router cannot hold sends the whole app to its TrieRouter.
    const store = openSqliteStore(':memory:');
    const app = createApp({
      store,
      mailer: new DevOutbox(Date.now),
      outbox: new DevOutbox(Date.now),
      config: testConfig({ PERSO_DEMO: 'true', PERSO_DEV_OUTBOX: 'true' }),
      demoRoot: { demoDir: 'demo', distDir: 'dist' },
      log: () => {},
    });
    expect((await app.request('/health')).status).toBe(200);
    expect(app.router.name).toBe('SmartRouter + RegExpRouter');
    await store.close();
  });
});

