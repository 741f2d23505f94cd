import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { displayParts, generateApiKeySecret, hashApiKeySecret, maskApiKey } from '../auth/api-key-secret.js';
import { requireSession, type SessionVariables } from '../auth/require-session.js';
import { utcDay } from '../auth/usage-recorder.js';
import { toIso } from '../clock.js';
import { AppError, validationFailed } from '../errors.js';
import { validationHook } from '../http.js';
import { ApiKey, CreatedKey, CreateKeyBody, errorResponses } from '../schemas.js';
import type { Services } from '../services.js';
import type { ApiKeyRecord } from '../store/types.js';

const DAY = 86_400_000;
const USAGE_DAYS = 30;

const keyJson = (k: ApiKeyRecord, usage: number[]): z.infer<typeof ApiKey> => ({
  id: k.id,
  name: k.name,
  maskedKey: maskApiKey(k.start, k.end),
  expiresAt: k.expiresAt === null ? null : toIso(k.expiresAt),
  lastUsedAt: k.lastUsedAt === null ? null : toIso(k.lastUsedAt),
  createdAt: toIso(k.createdAt),
  usage,
});

export function apiKeyRoutes(s: Services) {
  const { store, clock } = s;
  const app = new OpenAPIHono<{ Variables: SessionVariables }>({ defaultHook: validationHook });
  app.use('/api/keys', requireSession(s.sessions, s.config));
  app.use('/api/keys/*', requireSession(s.sessions, s.config));

  /** Uses per UTC day for each of the user's keys, the last 30 days oldest first. */
  async function usageByKey(userId: string): Promise<Map<string, number[]>> {
    const now = clock.now();
    const days = Array.from({ length: USAGE_DAYS }, (_, i) => utcDay(now - (USAGE_DAYS - 1 - i) * DAY));
    const index = new Map(days.map((d, i) => [d, i]));
    const result = new Map<string, number[]>();
    for (const row of await store.apiKeyUsage(userId, days[0]!)) {
      const series = result.get(row.keyId) ?? new Array<number>(USAGE_DAYS).fill(0);
      const i = index.get(row.day);
      if (i !== undefined) series[i] = row.count;
      result.set(row.keyId, series);
    }
    return result;
  }

  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/keys',
        tags: ['API keys'],
        summary: "The signed-in user's API keys, newest first",
        responses: { 200: { description: 'Keys', content: { 'application/json': { schema: z.object({ keys: z.array(ApiKey) }) } } }, ...errorResponses(401) },
      }),
      async (c) => {
        const { user } = c.get('session');
        const [keys, usage] = await Promise.all([store.listApiKeys(user.id), usageByKey(user.id)]);
        return c.json({ keys: keys.map((k) => keyJson(k, usage.get(k.id) ?? new Array<number>(USAGE_DAYS).fill(0))) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/keys',
        tags: ['API keys'],
        summary: 'Create a key; the secret is in this answer only',
        request: { body: { content: { 'application/json': { schema: CreateKeyBody } }, required: true } },
        responses: { 201: { description: 'Created', content: { 'application/json': { schema: CreatedKey } } }, ...errorResponses(401, 403, 422) },
      }),
      async (c) => {
        const { user } = c.get('session');
        const body = c.req.valid('json');
        const now = clock.now();
        const expiresAt = body.expiresAt ? Date.parse(body.expiresAt) : null;
        if (expiresAt !== null && expiresAt <= now) throw validationFailed({ expiresAt: 'Choose a date in the future.' });
        const secret = generateApiKeySecret();
        const record: ApiKeyRecord = { id: randomUUID(), userId: user.id, name: body.name, ...displayParts(secret), expiresAt, lastUsedAt: null, createdAt: now };
        await store.createApiKey({ ...record, keyHash: hashApiKeySecret(secret) });
        return c.json({ key: keyJson(record, new Array<number>(USAGE_DAYS).fill(0)), secret }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/api/keys/{id}',
        tags: ['API keys'],
        summary: 'Delete (revoke) a key at once',
        // Any id that names none of the user's keys is simply not found, whatever its shape.
        request: { params: z.object({ id: z.string() }) },
        responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
      }),
      async (c) => {
        const deleted = await store.deleteApiKey(c.get('session').user.id, c.req.valid('param').id);
        if (!deleted) throw new AppError(404, 'not_found', 'There is no API key with this id.');
        return c.body(null, 204);
      },
    );
}
