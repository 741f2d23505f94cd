import { ContextProvider } from '@lit/context';
import type { Decorator } from '@storybook/web-components-vite';
import { render } from 'lit';
import { PersoClient } from '../components/client/api-client.js';
import { clientContext } from '../components/client/context.js';
import type { ApiKey, OrganizationConfig, Passkey, User } from '../components/client/types.js';

/**
 * A fake Perso server for stories: `fetch` answered in memory, with the shapes of API.md, so
 * every element runs its real code against a `PersoClient('https://api.example', mockFetch)`.
 */

export interface MockRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
}

export interface MockReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Returns a reply; may throw (a network failure) or never settle (loading). */
export type MockHandler = (request: MockRequest) => MockReply | Promise<MockReply>;

/** Handlers by `'METHOD /path'`; `:name` segments match anything and land in `params`. */
export type MockRoutes = Record<string, MockHandler>;

export const reply = {
  json: (status: number, body: unknown, headers?: Record<string, string>): MockHandler => () => ({ status, body, headers }),
  error:
    (
      status: number,
      code: string,
      message: string,
      extra: { fields?: Record<string, string>; headers?: Record<string, string>; properties?: Record<string, unknown> } = {},
    ): MockHandler =>
    () => ({ status, body: { error: { code, message, ...(extra.fields && { fields: extra.fields }), ...extra.properties } }, headers: extra.headers }),
  /** The request never reaches the server, as when offline. */
  networkError: (): MockHandler => () => {
    throw new TypeError('Failed to fetch');
  },
  /** The answer never comes: the element stays in its loading state. */
  pending: (): MockHandler => ({ signal }) =>
    new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')))),
};

export function mockFetch(routes: MockRoutes, options: { latency?: number } = {}): typeof fetch {
  const table = Object.entries(routes).map(([route, handler]) => {
    const [method, pattern] = route.split(' ') as [string, string];
    const names: string[] = [];
    const source = pattern.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'));
    return { method, regex: new RegExp(`^${source}$`), names, handler };
  });

  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = (init.method ?? 'GET').toUpperCase();
    if (options.latency) await new Promise((resolve) => setTimeout(resolve, options.latency));
    for (const route of table) {
      const match = route.method === method ? route.regex.exec(url.pathname) : null;
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      const { status, body: payload, headers } = await route.handler({ method, path: url.pathname, query: url.searchParams, params, body, signal: init.signal ?? undefined });
      const json = payload !== undefined && status !== 204;
      return new Response(json ? JSON.stringify(payload) : null, {
        status,
        headers: { ...(json && { 'content-type': 'application/json' }), ...headers },
      });
    }
    return new Response(JSON.stringify({ error: { code: 'not_found', message: 'There is nothing at this address.' } }), {
      status: 404,
      headers: { 'content-type': 'application/json' },
    });
  };
}

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

export const demoUser: User = {
  id: 'usr_01',
  email: 'ada@example.com',
  emailVerified: true,
  organizationId: 'default',
  createdAt: ago(90 * DAY),
};

/** 30 days of requests around `perDay`, quieter at weekends, oldest first. */
const usage = (perDay: number) => Array.from({ length: 30 }, (_, day) => Math.round(perDay * (day % 7 >= 5 ? 0.3 : 0.8 + ((day * 37) % 11) / 25)));

/** Keys in every state the table shows: in use, never used, expiring, expired. */
export const demoKeys = (): ApiKey[] => [
  { id: 'key_4', name: 'Local development', maskedKey: 'pak-5d1e…77c0', expiresAt: null, lastUsedAt: ago(3 * 60_000), createdAt: ago(2 * DAY), usage: [...Array(28).fill(0), 9, 14] },
  { id: 'key_3', name: 'CI pipeline', maskedKey: 'pak-c3a9…0b41', expiresAt: ahead(60 * DAY), lastUsedAt: null, createdAt: ago(10 * DAY), usage: Array(30).fill(0) },
  { id: 'key_2', name: 'Production backend', maskedKey: 'pak-a1b2…9f0e', expiresAt: ahead(200 * DAY), lastUsedAt: ago(40_000), createdAt: ago(40 * DAY), usage: usage(1800) },
  { id: 'key_1', name: 'Old staging key', maskedKey: 'pak-77f3…e812', expiresAt: ago(5 * DAY), lastUsedAt: ago(20 * DAY), createdAt: ago(120 * DAY), usage: [...usage(40).slice(0, 10), ...Array(20).fill(0)] },
];

export const demoPasskeys = (): Passkey[] => [
  { id: 'pk_2', name: 'Chrome on macOS', credentialId: 'bGFwdG9w', deviceType: 'multiDevice', backedUp: true, createdAt: ago(30 * DAY), lastUsedAt: ago(2 * 60_000) },
  { id: 'pk_1', name: 'Safari on iOS', credentialId: 'cGhvbmU', deviceType: 'singleDevice', backedUp: false, createdAt: ago(90 * DAY), lastUsedAt: null },
];

/** The verification code the fake server accepts. */
export const DEMO_CODE = '123456';

export interface MockApiOptions {
  /** Who is signed in at first; `null` (default) for nobody. */
  user?: User | null;
  organization?: OrganizationConfig['organization'];
  methods?: Partial<OrganizationConfig['methods']>;
  keys?: ApiKey[];
  passkeys?: Passkey[];
  /** Replace single routes, e.g. `{ 'POST /api/signin': reply.error(401, …) }`. */
  routes?: MockRoutes;
  latency?: number;
}

/** A small stateful Perso server: sign-up, sign-in and sign-out, and API keys that can be created and deleted. */
export function mockApi(options: MockApiOptions = {}): MockRoutes {
  let user = options.user ?? null;
  let keys = options.keys ?? [];
  let passkeys = options.passkeys ?? [];
  const unauthenticated = reply.error(401, 'unauthenticated', 'Sign in to continue.');
  const config: OrganizationConfig = {
    organization: options.organization ?? { id: 'default', name: 'Acme Cloud' },
    methods: { password: true, passkey: false, social: [], ...options.methods },
  };
  let keyCount = keys.length;

  return {
    'GET /api/config': () => ({ status: 200, body: config }),
    'GET /api/session': (request) => (user ? { status: 200, body: { user } } : unauthenticated(request)),
    'POST /api/signup': () => ({ status: 202, body: { status: 'verification_sent', attempt: 'att_demo', mailHeld: false } }),
    'POST /api/verify-email/resend': () => ({ status: 202, body: { status: 'verification_sent', mailHeld: false } }),
    // The code from the "mail" is always 123456 here.
    'POST /api/verify-email': (request) => {
      if ((request.body as { code?: string }).code !== DEMO_CODE) return reply.error(400, 'invalid_code', 'The code is not right.')(request);
      user = demoUser;
      return { status: 200, body: { user } };
    },
    'POST /api/password-reset': () => ({ status: 202, body: { status: 'reset_sent' } }),
    'POST /api/signin': ({ body }) => {
      user = { ...demoUser, email: (body as { email: string }).email };
      return { status: 200, body: { user } };
    },
    'POST /api/signout': () => {
      user = null;
      return { status: 204 };
    },
    'GET /api/keys': (request) => (user ? { status: 200, body: { keys } } : unauthenticated(request)),
    'POST /api/keys': (request) => {
      if (!user) return unauthenticated(request);
      const { name, expiresAt = null } = request.body as { name: string; expiresAt?: string };
      const secret = 'pak-9c4e1f0a7b3d52e8a6c1f4b09d7e3a21';
      keyCount += 1;
      const key: ApiKey = { id: `key_${keyCount}`, name, maskedKey: 'pak-9c4e…3a21', expiresAt, lastUsedAt: null, createdAt: new Date().toISOString(), usage: Array(30).fill(0) };
      keys = [key, ...keys];
      return { status: 201, body: { key, secret } };
    },
    'DELETE /api/keys/:id': (request) => {
      if (!user) return unauthenticated(request);
      const before = keys.length;
      keys = keys.filter((key) => key.id !== request.params.id);
      return keys.length < before ? { status: 204 } : reply.error(404, 'not_found', 'There is nothing at this address.')(request);
    },
    'GET /api/passkeys': (request) => (user ? { status: 200, body: { passkeys, rpId: 'localhost' } } : unauthenticated(request)),
    'DELETE /api/passkeys/:id': (request) => {
      if (!user) return unauthenticated(request);
      if (passkeys.length === 1) return reply.error(409, 'last_sign_in_method', 'This is your only way to sign in.')(request);
      passkeys = passkeys.filter((passkey) => passkey.id !== request.params.id);
      return { status: 204 };
    },
    ...options.routes,
  };
}

/**
 * Gives every element in the story one `PersoClient` on the fake server (story parameter
 * `perso`: `MockApiOptions`), through `@lit/context` (`clientContext`), the way a host page
 * can. A fresh server per render.
 */
export const withMockApi: Decorator = (story, { parameters, args }) => {
  const options = (parameters.perso ?? {}) as MockApiOptions;
  const client = new PersoClient('https://api.example', mockFetch(mockApi(options), { latency: options.latency }));
  const host = document.createElement('div');
  host.className = 'perso-story';
  const dark = args.theme === 'dark';
  host.style.cssText = `padding: 1.5rem; border-radius: 0.75rem; background: ${dark ? '#030712' : 'transparent'};`;
  // The provider listens before the story's elements connect and ask for a client.
  new ContextProvider(host, { context: clientContext, initialValue: client });
  render(story(), host);
  return host;
};
