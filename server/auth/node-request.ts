import type { Context } from 'hono';

/** What @hono/node-server passes as `c.env`: Node's own request, already parsed. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string }; headers?: Record<string, string | string[] | undefined> };
}

const incoming = (c: Context) => (c.env as NodeBindings | undefined)?.incoming;

/**
 * A request header, from Node's parsed headers when served by @hono/node-server: the first
 * `c.req.header()` call builds a Fetch `Headers` object, which costs more than the whole API
 * key check on the hot path. Other runtimes (and `app.request()` in tests) use Hono's.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const headers = incoming(c)?.headers;
  if (!headers) return c.req.header(name);
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The TCP peer's address as Node reports it, when served by @hono/node-server. */
export const socketAddress = (c: Context): string | undefined => incoming(c)?.socket?.remoteAddress;
