import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';

/** Liveness for load balancers, and the benchmark's baseline: answers without touching the database. */
export function healthRoutes() {
  return new OpenAPIHono().openapi(
    createRoute({
      method: 'get',
      path: '/api/health',
      tags: ['Server'],
      summary: 'The server is up',
      responses: { 200: { description: 'Up', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );
}
