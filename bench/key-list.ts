/**
 * GET /api/keys for a user at the key cap, in process on a real SQLite file: every step of the
 * call (queries, usage series, JSON) is synchronous work on the event loop, so its duration is
 * how long one call blocks every other request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../server/app.js';
import { displayParts, generateApiKeySecret, hashApiKeySecret } from '../server/auth/api-key-secret.js';
import { randomToken, sha256Hex } from '../server/auth/tokens.js';
import { utcDay } from '../server/auth/usage-recorder.js';
import { systemClock } from '../server/clock.js';
import { loadConfig } from '../server/config.js';
import { DevOutbox } from '../server/mail/dev-outbox.js';
import { openSqliteStore } from '../server/store/sqlite/store.js';
import { median } from './section.js';

const CALLS = 500;
const DAY = 86_400_000;

export async function measureKeyList(keys = 100) {
  const dir = mkdtempSync(join(tmpdir(), 'perso-bench-'));
  const store = openSqliteStore(join(dir, 'perso.db'));
  try {
    const config = loadConfig({ PERSO_PUBLIC_URL: 'http://localhost:8787', PERSO_DEMO: 'false', PERSO_MAX_KEYS_PER_USER: String(keys) }, () => undefined);
    const now = systemClock.now();
    await store.createUser({ id: 'u', email: 'bench@example.com', organizationId: 'default', passwordHash: null, emailVerifiedAt: now, createdAt: now });
    const session = randomToken();
    await store.createSession({ idHash: sha256Hex(session), userId: 'u', createdAt: now, lastSeenAt: now, expiresAt: now + DAY });
    const days = Array.from({ length: 30 }, (_, i) => utcDay(now - i * DAY));
    for (let i = 0; i < keys; i++) {
      const secret = generateApiKeySecret();
      await store.createApiKey({ id: `k${i}`, userId: 'u', name: `key ${i}`, ...displayParts(secret), expiresAt: null, createdAt: now - i, keyHash: hashApiKeySecret(secret) });
    }
    await store.recordApiKeyUsage(Array.from({ length: keys }, (_, i) => ({ keyId: `k${i}`, lastUsedAt: now, days: new Map(days.map((d, j) => [d, i + j + 1])) })));

    const app = createApp({ store, mailer: new DevOutbox(systemClock.now, () => {}), config, log: () => {} });
    const call = async () => {
      const started = performance.now();
      const response = await app.request('/api/keys', { headers: { cookie: `perso_session=${session}` } });
      const body = (await response.json()) as { keys: unknown[] };
      if (response.status !== 200 || body.keys.length !== keys) throw new Error(`GET /api/keys answered ${response.status} with ${body.keys.length} keys`);
      return performance.now() - started;
    };
    for (let i = 0; i < 50; i++) await call();
    const times: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) times.push(await call());
    const cpu = process.cpuUsage(cpuBefore);
    const sorted = [...times].sort((a, b) => a - b);
    return {
      keys,
      calls: CALLS,
      medianMs: median(times),
      p99Ms: sorted[Math.floor(CALLS * 0.99)]!,
      maxMs: sorted.at(-1)!,
      // Wall time includes waiting for a core other processes hold; CPU time is the work itself.
      cpuMsPerCall: (cpu.user + cpu.system) / 1000 / CALLS,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
