import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './http/client-address.js';

export type SocialProviderId = 'github' | 'google' | 'oidc';
export const SOCIAL_PROVIDERS: readonly SocialProviderId[] = ['github', 'google', 'oidc'];

/**
 * A configured OAuth client. OpenID providers are found by issuer discovery; GitHub speaks
 * plain OAuth 2, so its endpoints are named here (overridable so tests can stand in for it).
 */
export interface SocialProvider {
  id: SocialProviderId;
  /** The button's provider name. */
  name: string;
  clientId: string;
  clientSecret: string;
  endpoints: { kind: 'oidc'; issuer: string } | { kind: 'github'; baseUrl: string; apiUrl: string };
}

export interface Organization {
  id: string;
  name: string;
  /** Origins allowed to call the API with credentials (CORS) and to change state (CSRF). */
  allowedOrigins: readonly string[];
  methods: { password: boolean; passkey: boolean; social: readonly string[] };
}

/** What the app itself needs; `ServerConfig` adds what only `main.ts` uses. */
export interface AppConfig {
  /** The server's public origin, e.g. `http://localhost:8787`; links in mails point here. */
  publicUrl: string;
  /** Where people land after verifying or resetting without an allowed redirect (`PERSO_APP_URL`). */
  appUrl: string;
  production: boolean;
  organizations: ReadonlyMap<string, Organization>;
  cookie: { secure: boolean; sameSite: 'Lax' | 'None' };
  sessions: { absoluteMs: number; idleMs: number };
  /** Which proxies' X-Forwarded-For entries name the client (rate limits); none by default. */
  trustProxy: TrustProxy;
  /** Most API keys one user may hold. */
  maxKeysPerUser: number;
  /** Mount the dev outbox routes: loopback public URL or PERSO_DEV_OUTBOX, never in production. */
  devOutbox: boolean;
  mailFrom: string;
  /** Serve the demo page and the built kit at `/`. */
  demo: boolean;
  /**
   * WebAuthn relying party: `rpId` is a bare host name (never a port) that the public URL's host
   * equals or ends with; `rpName` is shown by the browser, the organization's name when unset.
   */
  webauthn: { rpId: string; rpName?: string };
  /** Providers whose client is configured; an organization still has to enable each. */
  social: ReadonlyMap<SocialProviderId, SocialProvider>;
}

export interface ServerConfig extends AppConfig {
  port: number;
  host: string;
  dbPath: string;
  databaseUrl?: string;
  smtpUrl?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_ORGANIZATION = 'default';
const HOUR = 3_600_000;

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const origin = z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin);

const envSchema = z.object({
  PERSO_PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  PERSO_HOST: z.string().min(1).default('127.0.0.1'),
  PERSO_PUBLIC_URL: origin.optional(),
  PERSO_APP_URL: z.url({ protocol: /^https?$/ }).optional(),
  PERSO_DB: z.string().min(1).default('./data/perso.db'),
  // PostgreSQL for several instances behind a load balancer (README "Running several instances").
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^/?#]/, 'must be a PostgreSQL URL, postgres://user:password@host:port/database (or postgresql://…)')
    .refine((url) => URL.canParse(url), 'is not a well-formed URL')
    .optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  PERSO_MAIL_FROM: z.string().min(3).default('Perso <no-reply@localhost>'),
  PERSO_CONFIG: z.string().min(1).optional(),
  PERSO_ORIGINS: z.string().optional(),
  PERSO_ORG_NAME: z.string().min(1).max(100).default('Perso AI Platform'),
  PERSO_CROSS_SITE_COOKIES: bool.default(false),
  PERSO_TRUST_PROXY: z.string().default('false'),
  PERSO_MAX_KEYS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(100),
  PERSO_DEV_OUTBOX: bool.optional(),
  PERSO_SESSION_DAYS: z.coerce.number().positive().max(365).default(30),
  PERSO_SESSION_IDLE_HOURS: z.coerce.number().positive().max(24 * 365).default(24 * 7),
  PERSO_DEMO: bool.default(true),
  PERSO_RP_ID: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i, 'must be a bare host name such as example.com (no scheme, no port)')
    .optional(),
  PERSO_RP_NAME: z.string().min(1).max(100).optional(),
  PERSO_GITHUB_CLIENT_ID: z.string().min(1).optional(),
  PERSO_GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  PERSO_GITHUB_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://github.com'),
  PERSO_GITHUB_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
  PERSO_GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  PERSO_GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  PERSO_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  PERSO_OIDC_CLIENT_ID: z.string().min(1).optional(),
  PERSO_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  PERSO_OIDC_NAME: z.string().min(1).max(60).default('Single sign-on'),
  NODE_ENV: z.string().optional(),
});

const fileSchema = z.object({
  organizations: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, - or _'),
        name: z.string().min(1).max(100),
        allowedOrigins: z.array(origin).default([]),
        methods: z
          .object({
            password: z.boolean().default(true),
            passkey: z.boolean().default(false),
            social: z.array(z.enum(['github', 'google', 'oidc'])).default([]),
          })
          .prefault({}),
      }),
    )
    .min(1),
});

const describe = (source: string, issues: z.core.$ZodIssue[]) =>
  issues.map((i) => `${[source, ...i.path].join('.')}: ${i.message}`);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Listen addresses that browsers reach as `localhost`: IPv4 loopback and the any-address binds. */
const LOCALHOST_BINDS = new Set(['127.0.0.1', '0.0.0.0', '::']);

/**
 * The origin a browser reaches the listen address at, or undefined when PERSO_HOST is no host
 * at all. IPv6 literals need brackets in a URL; without them `::1` would not even parse.
 */
function listenOrigin(host: string, port: number): string | undefined {
  const name = LOCALHOST_BINDS.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  let url: URL;
  try {
    url = new URL(`http://${name}:${port}`);
  } catch {
    return undefined;
  }
  const onlyAHost = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  return onlyAHost ? url.origin : undefined;
}

/** The server's own origin, plus its other loopback spellings when it runs locally. */
function ownOrigins(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  if (!LOOPBACK.has(url.hostname)) return [url.origin];
  return [...LOOPBACK].map((host) => `${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
}

/** Plain http only reaches a provider on this machine (a test or a local identity server). */
function checkProviderUrl(variable: string, url: string, problems: string[]): void {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'http:' && !LOOPBACK.has(hostname)) problems.push(`${variable}: must be an https URL (plain http is accepted only on a loopback address)`);
}

/**
 * The providers whose client id and secret are both set. Half a configuration is refused by
 * name: a button that fails only at the provider's page would be found by users, not operators.
 */
function socialProviders(e: z.infer<typeof envSchema>, problems: string[]): Map<SocialProviderId, SocialProvider> {
  const providers = new Map<SocialProviderId, SocialProvider>();
  const pair = (prefix: string, id?: string, secret?: string): { clientId: string; clientSecret: string } | undefined => {
    if (id && secret) return { clientId: id, clientSecret: secret };
    if (id || secret) problems.push(`${prefix}_CLIENT_${id ? 'SECRET' : 'ID'}: must be set with ${prefix}_CLIENT_${id ? 'ID' : 'SECRET'}`);
    return undefined;
  };
  const github = pair('PERSO_GITHUB', e.PERSO_GITHUB_CLIENT_ID, e.PERSO_GITHUB_CLIENT_SECRET);
  if (github) {
    checkProviderUrl('PERSO_GITHUB_BASE_URL', e.PERSO_GITHUB_BASE_URL, problems);
    checkProviderUrl('PERSO_GITHUB_API_URL', e.PERSO_GITHUB_API_URL, problems);
    const endpoints = { kind: 'github' as const, baseUrl: e.PERSO_GITHUB_BASE_URL.replace(/\/+$/, ''), apiUrl: e.PERSO_GITHUB_API_URL.replace(/\/+$/, '') };
    providers.set('github', { id: 'github', name: 'GitHub', ...github, endpoints });
  }
  const google = pair('PERSO_GOOGLE', e.PERSO_GOOGLE_CLIENT_ID, e.PERSO_GOOGLE_CLIENT_SECRET);
  if (google) providers.set('google', { id: 'google', name: 'Google', ...google, endpoints: { kind: 'oidc', issuer: 'https://accounts.google.com' } });
  const oidc = pair('PERSO_OIDC', e.PERSO_OIDC_CLIENT_ID, e.PERSO_OIDC_CLIENT_SECRET);
  if (oidc && !e.PERSO_OIDC_ISSUER) problems.push('PERSO_OIDC_ISSUER: must be set with PERSO_OIDC_CLIENT_ID and PERSO_OIDC_CLIENT_SECRET');
  if (oidc && e.PERSO_OIDC_ISSUER) {
    checkProviderUrl('PERSO_OIDC_ISSUER', e.PERSO_OIDC_ISSUER, problems);
    providers.set('oidc', { id: 'oidc', name: e.PERSO_OIDC_NAME, ...oidc, endpoints: { kind: 'oidc', issuer: e.PERSO_OIDC_ISSUER } });
  }
  return providers;
}

/**
 * Parses and validates the environment and the optional organizations file once, at start-up.
 * Throws a `ConfigError` naming every bad variable or field.
 */
export function loadConfig(env: Record<string, string | undefined>, readFile: (path: string) => string | undefined): ServerConfig {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  const e = parsed.data;

  const problems: string[] = [];
  const listen = listenOrigin(e.PERSO_HOST, e.PERSO_PORT);
  if (!listen) problems.push(`PERSO_HOST: "${e.PERSO_HOST}" is not a host name or IP address`);
  // The fallback only lets the other checks run; the problem above stops the server anyway.
  const publicUrl = e.PERSO_PUBLIC_URL ?? listen ?? `http://localhost:${e.PERSO_PORT}`;
  const extraOrigins: string[] = [];
  for (const raw of (e.PERSO_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const result = origin.safeParse(raw);
    if (result.success) extraOrigins.push(result.data);
    else problems.push(`PERSO_ORIGINS: "${raw}" is not an http(s) URL`);
  }
  const secure = publicUrl.startsWith('https://');
  const trustProxy = parseTrustProxy(e.PERSO_TRUST_PROXY);
  if (!trustProxy) {
    problems.push(`PERSO_TRUST_PROXY: "${e.PERSO_TRUST_PROXY}" is not true, false, a hop count (0–32) or a comma-separated list of proxy addresses or CIDR ranges`);
  }
  const production = e.NODE_ENV === 'production';
  if (e.PERSO_CROSS_SITE_COOKIES && !secure) problems.push('PERSO_CROSS_SITE_COOKIES: needs an https PERSO_PUBLIC_URL (SameSite=None cookies must be Secure)');

  const configPath = e.PERSO_CONFIG ?? './perso.config.json';
  const text = readFile(configPath);
  if (text === undefined && e.PERSO_CONFIG) problems.push(`PERSO_CONFIG: cannot read ${configPath}`);

  const social = socialProviders(e, problems);
  const own = ownOrigins(publicUrl);
  const organizations = new Map<string, Organization>();
  if (text === undefined) {
    organizations.set(DEFAULT_ORGANIZATION, {
      id: DEFAULT_ORGANIZATION,
      name: e.PERSO_ORG_NAME,
      allowedOrigins: [...new Set([...own, ...extraOrigins])],
      // Without a file the environment is the whole configuration: a configured provider is on.
      methods: { password: true, passkey: false, social: [...social.keys()] },
    });
  } else {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      problems.push(`PERSO_CONFIG: ${configPath} is not valid JSON`);
    }
    const file = json === undefined ? undefined : fileSchema.safeParse(json);
    if (file && !file.success) problems.push(...describe(configPath, file.error.issues));
    for (const org of file?.success ? file.data.organizations : []) {
      if (organizations.has(org.id)) problems.push(`${configPath}: organization "${org.id}" is listed twice`);
      organizations.set(org.id, { ...org, allowedOrigins: [...new Set([...own, ...extraOrigins, ...org.allowedOrigins])] });
    }
  }
  const publicHost = new URL(publicUrl).hostname;
  const rpId = (e.PERSO_RP_ID ?? publicHost).toLowerCase();
  // The browser refuses a relying party id that is not the page's host or a parent domain of it.
  if (e.PERSO_RP_ID && publicHost !== rpId && !publicHost.endsWith(`.${rpId}`)) {
    problems.push(`PERSO_RP_ID: "${e.PERSO_RP_ID}" is neither the public URL's host (${publicHost}) nor a parent domain of it`);
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    port: e.PERSO_PORT,
    host: e.PERSO_HOST,
    publicUrl,
    appUrl: e.PERSO_APP_URL ?? publicUrl,
    dbPath: e.PERSO_DB,
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.PERSO_MAIL_FROM,
    production,
    organizations,
    cookie: { secure, sameSite: e.PERSO_CROSS_SITE_COOKIES ? 'None' : 'Lax' },
    sessions: { absoluteMs: e.PERSO_SESSION_DAYS * 24 * HOUR, idleMs: e.PERSO_SESSION_IDLE_HOURS * HOUR },
    trustProxy: trustProxy!, // checked above: a bad value has already stopped start-up
    maxKeysPerUser: e.PERSO_MAX_KEYS_PER_USER,
    devOutbox: !production && (e.PERSO_DEV_OUTBOX ?? LOOPBACK.has(new URL(publicUrl).hostname)),
    demo: e.PERSO_DEMO,
    webauthn: { rpId, rpName: e.PERSO_RP_NAME },
    social,
  };
}

/** The organization's social providers that are also configured, in the organization's order. */
export function enabledSocialProviders(config: Pick<AppConfig, 'social'>, organization: Organization): SocialProvider[] {
  return organization.methods.social.flatMap((id) => config.social.get(id as SocialProviderId) ?? []);
}

/** Every origin allowed by some organization: the first gate for CORS and CSRF. */
export function allAllowedOrigins(config: AppConfig): Set<string> {
  return new Set([...config.organizations.values()].flatMap((o) => o.allowedOrigins));
}
