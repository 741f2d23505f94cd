import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { SecurityHeaders } from '../http/security-headers.js';

/**
 * Liveness for load balancers, and the benchmark's bare route: outside `/api` and `/v1`, so it
 * runs only the middleware every response gets, and never touches the database.
 */
export function healthRoutes(security: SecurityHeaders) {
  const up = security.jsonResponder<{ status: 'ok' }>({ 'cache-control': 'no-store' });
  const body = JSON.stringify({ status: 'ok' });
  return new OpenAPIHono().openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['Server'],
      summary: 'The server is up',
      responses: { 200: { description: 'Up', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
    }),
    (c) => up(body) ?? c.json({ status: 'ok' as const }, 200, { 'Cache-Control': 'no-store' }),
  );
}
