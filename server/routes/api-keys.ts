import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type ApiKeyDeps, type ApiKeyView, createApiKey, deleteApiKey, listApiKeys } from '../api-keys/keys.js';
import { maskApiKey } from '../auth/api-key-secret.js';
import { requireSession, type SessionVariables } from '../auth/require-session.js';
import { toIso } from '../clock.js';
import { AppError, rateLimited, validationFailed } from '../errors.js';
import { validationHook } from '../http.js';
import { ApiKey, CreatedKey, CreateKeyBody, errorResponses } from '../schemas.js';
import type { Services } from '../services.js';

const keyJson = (k: ApiKeyView): z.infer<typeof ApiKey> => ({
  id: k.id,
  name: k.name,
  maskedKey: maskApiKey(k.start, k.end),
  expiresAt: k.expiresAt === null ? null : toIso(k.expiresAt),
  lastUsedAt: k.lastUsedAt === null ? null : toIso(k.lastUsedAt),
  createdAt: toIso(k.createdAt),
  usage: k.usage,
});

/** Thin routes over `server/api-keys/`: parse, call the domain, answer. */
export function apiKeyRoutes(s: Services) {
  const deps: ApiKeyDeps = {
    store: s.store,
    clock: s.clock,
    maxKeysPerUser: s.config.maxKeysPerUser,
    creations: s.limits.keyCreationPerUser,
    verifiedKeys: s.verifiedKeys,
  };
  const app = new OpenAPIHono<{ Variables: SessionVariables }>({ defaultHook: validationHook });
  app.use('/api/keys', requireSession(s.sessions, s.config));
  app.use('/api/keys/*', requireSession(s.sessions, s.config));

  return app
    .openapi(
      createRoute({
        method: 'get',
        path: '/api/keys',
        tags: ['API keys'],
        summary: "The signed-in user's API keys, newest first",
        responses: { 200: { description: 'Keys', content: { 'application/json': { schema: z.object({ keys: z.array(ApiKey) }) } } }, ...errorResponses(401) },
      }),
      async (c) => c.json({ keys: (await listApiKeys(deps, c.get('session').user.id)).map(keyJson) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/api/keys',
        tags: ['API keys'],
        summary: 'Create a key; the secret is in this answer only',
        description: 'At most PERSO_MAX_KEYS_PER_USER keys per user (default 100), then 409 too_many_keys.',
        request: { body: { content: { 'application/json': { schema: CreateKeyBody } }, required: true } },
        responses: { 201: { description: 'Created', content: { 'application/json': { schema: CreatedKey } } }, ...errorResponses(401, 403, 409, 422, 429) },
      }),
      async (c) => {
        const result = await createApiKey(deps, c.get('session').user.id, c.req.valid('json'));
        if (result.ok) return c.json({ key: keyJson(result.key), secret: result.secret }, 201);
        if (result.reason === 'invalid') throw validationFailed(result.fields);
        if (result.reason === 'rate_limited') throw rateLimited(result.retryAfterS);
        throw new AppError(409, 'too_many_keys');
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
        if (!(await deleteApiKey(deps, c.get('session').user.id, c.req.valid('param').id))) {
          throw new AppError(404, 'not_found', 'There is no API key with this id.');
        }
        return c.body(null, 204);
      },
    );
}
