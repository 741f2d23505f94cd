import { describe, expect, it } from 'vitest';
import { allAllowedOrigins, ConfigError, loadConfig, type ServerConfig } from '../../server/config.js';

const DAY = 86_400_000;
const noFile = () => undefined;

/** loadConfig with only a perso.config.json at `path` (or none). */
const load = (env: Record<string, string | undefined>, files: Record<string, unknown> = {}) =>
  loadConfig(env, (path) => (path in files ? (typeof files[path] === 'string' ? (files[path] as string) : JSON.stringify(files[path])) : undefined));

/** The problems a bad configuration is refused with. */
function problems(env: Record<string, string | undefined>, files: Record<string, unknown> = {}): string[] {
  try {
    load(env, files);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration:\n {2}- /);
    return (error as ConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig defaults', () => {
  it('serves on 127.0.0.1:8787 with SQLite, the dev outbox and one default organization', () => {
    const config = loadConfig({}, noFile);
    expect(config).toEqual<ServerConfig>({
      port: 8787,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8787',
      appUrl: 'http://localhost:8787',
      dbPath: './data/perso.db',
      databaseUrl: undefined,
      smtpUrl: undefined,
      mailFrom: 'Perso <no-reply@localhost>',
      production: false,
      organizations: new Map([
        [
          'default',
          {
            id: 'default',
            name: 'Perso AI Platform',
            allowedOrigins: ['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787'],
            methods: { password: true, passkey: false, social: [] },
          },
        ],
      ]),
      cookie: { secure: false, sameSite: 'Lax' },
      sessions: { absoluteMs: 30 * DAY, idleMs: 7 * DAY },
      trustProxy: { hops: 0 },
      maxKeysPerUser: 100,
      devOutbox: true,
      demo: true,
      webauthn: { rpId: 'localhost', rpName: undefined },
      social: new Map(),
    });
  });

  it('reads ./perso.config.json when PERSO_CONFIG is not set, and ignores empty variables', () => {
    const config = load({ PERSO_PORT: '', PERSO_CONFIG: '' }, { './perso.config.json': { organizations: [{ id: 'acme', name: 'Acme' }] } });
    expect(config.port).toBe(8787);
    expect([...config.organizations.keys()]).toEqual(['acme']);
  });
});

describe('loadConfig from the environment', () => {
  it('takes a PostgreSQL DATABASE_URL in either scheme, port and password included', () => {
    for (const url of ['postgres://perso@db/perso', 'postgresql://perso:s%40cret@10.0.0.5:5433/perso?sslmode=require']) expect(load({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('honours every variable', () => {
    const config = load({
      PERSO_PORT: '9000',
      PERSO_HOST: '0.0.0.0',
      PERSO_PUBLIC_URL: 'https://auth.example.com/ignored/path',
      PERSO_DB: '/var/lib/perso/perso.db',
      DATABASE_URL: 'postgres://perso@db/perso',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      PERSO_MAIL_FROM: 'Example <hello@example.com>',
      PERSO_ORIGINS: 'https://app.example.com, https://www.example.com/',
      PERSO_ORG_NAME: 'Example',
      PERSO_CROSS_SITE_COOKIES: 'true',
      PERSO_TRUST_PROXY: '1',
      PERSO_SESSION_DAYS: '2',
      PERSO_SESSION_IDLE_HOURS: '3',
      PERSO_DEMO: 'false',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      publicUrl: 'https://auth.example.com',
      dbPath: '/var/lib/perso/perso.db',
      databaseUrl: 'postgres://perso@db/perso',
      smtpUrl: 'smtps://user:pass@mail.example.com:465',
      mailFrom: 'Example <hello@example.com>',
      production: true,
      cookie: { secure: true, sameSite: 'None' },
      sessions: { absoluteMs: 2 * DAY, idleMs: 3 * 3_600_000 },
      trustProxy: { hops: 1 },
      demo: false,
    });
    expect(config.organizations.get('default')).toMatchObject({
      name: 'Example',
      allowedOrigins: ['https://auth.example.com', 'https://app.example.com', 'https://www.example.com'],
    });
  });

  it('derives the public URL from the listen address', () => {
    expect(load({ PERSO_HOST: 'perso.internal', PERSO_PORT: '8080' }).publicUrl).toBe('http://perso.internal:8080');
    expect(load({ PERSO_HOST: '0.0.0.0' }).publicUrl).toBe('http://localhost:8787');
  });

  it('derives a working public URL from IPv6 listen addresses', () => {
    expect(load({ PERSO_HOST: '::' }).publicUrl).toBe('http://localhost:8787');
    expect(load({ PERSO_HOST: '::1' }).publicUrl).toBe('http://[::1]:8787');
    expect(load({ PERSO_HOST: '::1' }).organizations.get('default')!.allowedOrigins).toContain('http://localhost:8787');
    expect(load({ PERSO_HOST: 'fd00::7' }).publicUrl).toBe('http://[fd00::7]:8787');
  });

  it.each([
    [{ PERSO_PORT: 'abc' }, 'PERSO_PORT'],
    [{ PERSO_PORT: '70000' }, 'PERSO_PORT'],
    [{ PERSO_PORT: '80.5' }, 'PERSO_PORT'],
    [{ PERSO_HOST: 'not a host' }, 'PERSO_HOST'],
    [{ PERSO_PUBLIC_URL: 'localhost:8787' }, 'PERSO_PUBLIC_URL'],
    [{ PERSO_PUBLIC_URL: 'ftp://example.com' }, 'PERSO_PUBLIC_URL'],
    [{ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'mail.example.com:25' }, 'SMTP_URL'],
    [{ DATABASE_URL: 'mysql://db/perso' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres:/db/perso' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://db:port/perso' }, 'DATABASE_URL'],
    [{ PERSO_CROSS_SITE_COOKIES: 'yes' }, 'PERSO_CROSS_SITE_COOKIES'],
    [{ PERSO_CROSS_SITE_COOKIES: 'true' }, 'PERSO_CROSS_SITE_COOKIES'],
    [{ PERSO_TRUST_PROXY: 'maybe' }, 'PERSO_TRUST_PROXY'],
    [{ PERSO_SESSION_DAYS: '0' }, 'PERSO_SESSION_DAYS'],
    [{ PERSO_SESSION_IDLE_HOURS: 'week' }, 'PERSO_SESSION_IDLE_HOURS'],
    [{ PERSO_DEMO: 'off' }, 'PERSO_DEMO'],
    [{ PERSO_ORIGINS: 'https://ok.example.com,localhost:3000' }, 'PERSO_ORIGINS'],
    [{ PERSO_ORIGINS: 'javascript:alert(1)' }, 'PERSO_ORIGINS'],
    [{ PERSO_CONFIG: '/nowhere/perso.config.json' }, 'PERSO_CONFIG'],
  ])('refuses %j naming %s', (env, variable) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${variable}: \\S`));
  });

  it('names every bad variable at once', () => {
    const found = problems({ PERSO_PORT: 'abc', SMTP_URL: 'http://x', PERSO_DEMO: 'nah' });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['PERSO_DEMO', 'PERSO_PORT', 'SMTP_URL']);
  });
});

describe('loadConfig organizations from perso.config.json', () => {
  const file = {
    organizations: [
      { id: 'acme', name: 'Acme', allowedOrigins: ['https://acme.example/app'], methods: { passkey: true, social: ['github'] } },
      { id: 'beta_2', name: 'Beta' },
    ],
  };

  it('reads each organization with its origins and methods, defaults filled in', () => {
    const config = load({ PERSO_CONFIG: 'orgs.json', PERSO_ORIGINS: 'https://shared.example' }, { 'orgs.json': file });
    expect([...config.organizations.values()]).toEqual([
      {
        id: 'acme',
        name: 'Acme',
        allowedOrigins: ['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787', 'https://shared.example', 'https://acme.example'],
        methods: { password: true, passkey: true, social: ['github'] },
      },
      {
        id: 'beta_2',
        name: 'Beta',
        allowedOrigins: ['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787', 'https://shared.example'],
        methods: { password: true, passkey: false, social: [] },
      },
    ]);
    expect([...allAllowedOrigins(config)].sort()).toEqual(
      ['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787', 'https://shared.example', 'https://acme.example'].sort(),
    );
  });

  it.each([
    [{ organizations: [{ id: 'Acme Corp', name: 'Acme' }] }, 'orgs.json.organizations.0.id'],
    [{ organizations: [{ id: 'acme', name: '' }] }, 'orgs.json.organizations.0.name'],
    [{ organizations: [{ id: 'acme', name: 'Acme', allowedOrigins: ['acme.example'] }] }, 'orgs.json.organizations.0.allowedOrigins.0'],
    [{ organizations: [{ id: 'acme', name: 'Acme', methods: { social: ['myspace'] } }] }, 'orgs.json.organizations.0.methods.social.0'],
    [{ organizations: [{ id: 'acme', name: 'Acme', methods: { password: 'yes' } }] }, 'orgs.json.organizations.0.methods.password'],
    [{ organizations: [] }, 'orgs.json.organizations'],
    [{ orgs: [] }, 'orgs.json.organizations'],
    [{ organizations: [{ id: 'a', name: 'A' }, { id: 'a', name: 'A again' }] }, 'orgs.json: organization "a" is listed twice'],
  ])('refuses %j naming %s', (content, where) => {
    const found = problems({ PERSO_CONFIG: 'orgs.json' }, { 'orgs.json': content });
    expect(found).toHaveLength(1);
    expect(found[0]!.startsWith(where)).toBe(true);
  });

  it('refuses a file that is not JSON', () => {
    expect(problems({ PERSO_CONFIG: 'orgs.json' }, { 'orgs.json': '{ organizations: [' })).toEqual(['PERSO_CONFIG: orgs.json is not valid JSON']);
  });
});

describe('loadConfig for hostile load (PERSO_TRUST_PROXY, PERSO_MAX_KEYS_PER_USER, PERSO_DEV_OUTBOX)', () => {
  it('reads each form of PERSO_TRUST_PROXY and stops on a bad one, naming the variable', () => {
    expect(load({ PERSO_TRUST_PROXY: 'true' }).trustProxy).toEqual({ hops: 1 });
    expect(load({ PERSO_TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(load({ PERSO_TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy).toMatchObject({ ranges: [{ prefix: 8 }, { prefix: 128 }] });
    for (const bad of ['yes', '10.0.0.0/8, nope', '99']) {
      expect(problems({ PERSO_TRUST_PROXY: bad })).toEqual([expect.stringMatching(/^PERSO_TRUST_PROXY: ".*" is not true, false, a hop count/)]);
    }
  });

  it('caps keys per user at PERSO_MAX_KEYS_PER_USER, a positive whole number', () => {
    expect(load({ PERSO_MAX_KEYS_PER_USER: '5' }).maxKeysPerUser).toBe(5);
    for (const bad of ['0', '2.5', 'many']) expect(problems({ PERSO_MAX_KEYS_PER_USER: bad })[0]).toMatch(/^PERSO_MAX_KEYS_PER_USER: /);
  });

  it('turns the dev outbox on for a loopback public URL or PERSO_DEV_OUTBOX, never in production', () => {
    expect(load({}).devOutbox).toBe(true);
    expect(load({ PERSO_PUBLIC_URL: 'https://perso.example.com' }).devOutbox).toBe(false);
    expect(load({ PERSO_PUBLIC_URL: 'https://perso.example.com', PERSO_DEV_OUTBOX: 'true' }).devOutbox).toBe(true);
    expect(load({ PERSO_DEV_OUTBOX: 'false' }).devOutbox).toBe(false);
    expect(load({ PERSO_DEV_OUTBOX: 'true', NODE_ENV: 'production' }).devOutbox).toBe(false);
  });
});
