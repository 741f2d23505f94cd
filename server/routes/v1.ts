import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { type ApiKeyVariables, requireApiKey } from '../auth/require-api-key.js';
import { validationHook } from '../http.js';
import { errorResponses, WhoAmI } from '../schemas.js';
import type { Services } from '../services.js';

/** The key-authenticated API. */
export function v1Routes(s: Services) {
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
      const k = c.get('apiKey');
      const organization = s.config.organizations.get(k.organizationId);
      return c.json(
        {
          user: { id: k.userId, email: k.email },
          organization: { id: k.organizationId, name: organization?.name ?? k.organizationId },
          key: { id: k.keyId, name: k.keyName },
        },
        200,
        { 'Cache-Control': 'no-store' },
      );
    },
  );
}
