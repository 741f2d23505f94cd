import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { type ApiKeyVariables, requireApiKey } from '../auth/require-api-key.js';
import { validationHook } from '../http.js';
import { errorResponses, WhoAmI } from '../schemas.js';
import type { Services } from '../services.js';
import type { ApiKeyOwner } from '../store/types.js';

/** The key-authenticated API. */
export function v1Routes(s: Services) {
  const answer = s.security.jsonResponder<ReturnType<typeof whoami>>({ 'cache-control': 'no-store' });
  // Owners come from the key index, the same object on every use of a key: its answer is built once.
  const bodies = new WeakMap<ApiKeyOwner, string>();
  const whoami = (k: ApiKeyOwner) => ({
    user: { id: k.userId, email: k.email },
    organization: { id: k.organizationId, name: s.config.organizations.get(k.organizationId)?.name ?? k.organizationId },
    key: { id: k.keyId, name: k.keyName },
  });
  const app = new OpenAPIHono<{ Variables: ApiKeyVariables }>({ defaultHook: validationHook });
  app.use(
    '/v1/*',
    requireApiKey({
      store: s.store,
      usage: s.usage,
      limiter: s.limits.invalidApiKeyPerAddress,
      clock: s.clock,
      trustProxy: s.config.trustProxy,
      verifiedKeys: s.verifiedKeys ?? false,
    }),
  );
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'pak-… API key' });
  return app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/whoami',
      tags: ['Key-authenticated API'],
      summary: 'Who the presented API key belongs to',
      security: [{ apiKey: [] }],
      responses: { 200: { description: 'The key, its user and organization', content: { 'application/json': { schema: WhoAmI } } }, ...errorResponses(401, 429) },
    }),
    (c) => {
      const owner = c.get('apiKey');
      let body = bodies.get(owner);
      if (body === undefined) bodies.set(owner, (body = JSON.stringify(whoami(owner))));
      return answer(body) ?? c.json(whoami(owner), 200, { 'Cache-Control': 'no-store' });
    },
  );
}
