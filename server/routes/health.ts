import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';

/**
 * Liveness for load balancers, and the benchmark's bare route: outside `/api` and `/v1`, so it
 * runs only the middleware every response gets, and never touches the database.
 */
export function healthRoutes() {
  return new OpenAPIHono().openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['Server'],
      summary: 'The server is up',
      responses: { 200: { description: 'Up', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
    }),
    (c) => c.json({ status: 'ok' as const }, 200, { 'Cache-Control': 'no-store' }),
  );
}
