import type { MiddlewareHandler, TypedResponse } from 'hono';
import { type SecureHeadersVariables, secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/**
 * Hono's `secureHeaders` for every response, plus a cheaper way for the hottest routes
 * (`/v1/whoami`, `/health`) to send the very same headers. The middleware sets them one by one
 * on a Fetch `Headers` object it first has to build, which is a large share of a request that
 * otherwise costs a `Map` read; `answer()` instead hands @hono/node-server one frozen plain
 * object, which it writes straight to the socket, and the middleware leaves that response alone.
 */
export function securityHeaders(options: SecureHeadersOptions) {
  const middleware = secureHeaders(options);
  const answered = new WeakSet<Response>();
  let fixed: Readonly<Record<string, string>> | undefined;

  // The header list depends only on the options: record it once by running the middleware
  // against a response that keeps what is set. No route has been reached before it settles.
  const recorded: Record<string, string> = {};
  const recorder = { res: { headers: { has: (name: string) => name in recorded, set: (name: string, value: string) => (recorded[name] = value), delete() {} } }, set() {} };
  void middleware(recorder as never, async () => {}).then(() => (fixed = Object.freeze({ ...recorded })));

  return {
    middleware: (async (c, next) => {
      await next();
      if (!answered.has(c.res)) await middleware(c, async () => {});
    }) satisfies MiddlewareHandler<{ Variables: SecureHeadersVariables }>,

    /**
     * A 200 JSON responder with the security headers and `headers` merged once; `body` is the
     * serialised `T`, typed as `c.json` would type it. Until the header list is recorded (never,
     * in practice, once the server listens) it answers `undefined` and the route takes the
     * ordinary path.
     */
    jsonResponder<T>(headers: Record<string, string>) {
      let merged: Readonly<Record<string, string>> | undefined;
      return (body: string): TypedResponse<T, 200, 'json'> | undefined => {
        if (!fixed) return undefined;
        merged ??= Object.freeze({ ...fixed, 'content-type': 'application/json', ...headers });
        const response = new Response(body, { status: 200, headers: merged });
        answered.add(response);
        return response as unknown as TypedResponse<T, 200, 'json'>;
      };
    },
  };
}

export type SecurityHeaders = ReturnType<typeof securityHeaders>;
