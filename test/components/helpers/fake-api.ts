import { PersoClient } from '../../../components/client/api-client.js';
import type { OrganizationConfig, User } from '../../../components/client/types.js';

/** One request the fake server received. `body` is the parsed JSON body, if any. */
export interface RecordedCall {
  method: string;
  path: string;
  url: URL;
  body: unknown;
}

export type Handler = (call: RecordedCall) => Response | Promise<Response>;

/** A JSON response (a new one per call: a Response body can be read once). */
export function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  if (body === undefined) return new Response(null, { status, headers });
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A response in the server's error shape (API.md §1). */
export function apiError(
  status: number,
  code: string,
  message = `${code} happened.`,
  options: { fields?: Record<string, string>; headers?: Record<string, string> } = {},
): Response {
  return json(status, { error: { code, message, ...(options.fields ? { fields: options.fields } : {}) } }, options.headers);
}

/** A promise the test settles by hand, e.g. to hold a request open and look at a busy state. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const testUser: User = {
  id: 'usr_1',
  email: 'ada@example.com',
  emailVerified: true,
  organizationId: 'default',
  createdAt: '2026-01-02T03:04:05.000Z',
};

export function orgConfig(methods: Partial<OrganizationConfig['methods']> = {}): OrganizationConfig {
  return {
    organization: { id: 'default', name: 'Acme' },
    methods: { password: true, passkey: false, social: [], ...methods },
  };
}

/**
 * An in-memory stand-in for the Perso server, matched by method and path (query ignored).
 * Unmatched requests answer 404 `not_found`. Defaults: `GET /api/config` answers
 * `orgConfig()` and `GET /api/session` answers 401 (signed out); later routes replace earlier ones.
 *
 *   const api = new FakeApi().reply('POST', '/api/signup', 202, { status: 'verification_sent' });
 *   const el = await mount(html`<perso-signup></perso-signup>`, api.client);
 *   expect(api.last('POST', '/api/signup')?.body).to.deep.equal({ … });
 */
export class FakeApi {
  readonly calls: RecordedCall[] = [];
  readonly client: PersoClient;
  #routes = new Map<string, Handler>();

  constructor(baseUrl = 'http://perso.test') {
    this.client = new PersoClient(baseUrl, this.fetch);
    this.reply('GET', '/api/config', 200, orgConfig());
    this.reply('GET', '/api/session', 401, { error: { code: 'unauthenticated', message: 'Sign in first.' } });
  }

  /** Answers `method path` with a fixed JSON response (built afresh for every call). */
  reply(method: string, path: string, status: number, body?: unknown, headers?: Record<string, string>): this {
    return this.handle(method, path, () => json(status, body, headers));
  }

  /** Answers `method path` with whatever `handler` returns or throws (a throw is a network failure). */
  handle(method: string, path: string, handler: Handler): this {
    this.#routes.set(`${method.toUpperCase()} ${path}`, handler);
    return this;
  }

  /** Makes `method path` fail like an unreachable server. */
  fail(method: string, path: string): this {
    return this.handle(method, path, () => {
      throw new TypeError('Failed to fetch');
    });
  }

  /** Holds `method path` open until the test calls `release(response)`. */
  hold(method: string, path: string): { release: (response: Response) => void } {
    const pending = deferred<Response>();
    this.handle(method, path, () => pending.promise);
    return { release: pending.resolve };
  }

  /** Calls received for `method path`, oldest first. */
  callsTo(method: string, path: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method.toUpperCase() && call.path === path);
  }

  last(method: string, path: string): RecordedCall | undefined {
    return this.callsTo(method, path).at(-1);
  }

  readonly fetch: typeof fetch = async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const call: RecordedCall = { method, path: url.pathname, url, body };
    this.calls.push(call);
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const handler = this.#routes.get(`${method} ${url.pathname}`);
    return handler ? handler(call) : apiError(404, 'not_found', 'No such route.');
  };
}
