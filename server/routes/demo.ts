import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { Hono } from 'hono';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The demo host page at `/` and the built kit under `/kit/` (loadable cross-origin by embedding sites). */
export function demoRoutes(root: { demoDir: string; distDir: string }) {
  return new Hono()
    .get('/', async (c) => c.html(await readFile(join(root.demoDir, 'index.html'), 'utf8')))
    .get('/demo/*', (c) => serve(root.demoDir, c.req.path.slice('/demo/'.length)))
    .get('/kit/*', async (c) => {
      const response = await serve(root.distDir, c.req.path.slice('/kit/'.length));
      response.headers.set('Access-Control-Allow-Origin', '*');
      response.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
      return response;
    });
}

const notFound = () =>
  new Response(JSON.stringify({ error: { code: 'not_found', message: 'There is nothing at this address.' } }), {
    status: 404,
    headers: { 'content-type': 'application/json' },
  });

async function serve(dir: string, file: string): Promise<Response> {
  const path = normalize(join(dir, file));
  if (!path.startsWith(normalize(dir) + sep) || !(extname(path) in TYPES)) return notFound();
  try {
    const body = await readFile(path);
    return new Response(body, { headers: { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache' } });
  } catch {
    return notFound();
  }
}
