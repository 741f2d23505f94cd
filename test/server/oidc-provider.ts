import { createServer, type Server } from 'node:http';
// oidc-provider ships no type declarations; the little used here is typed by hand below.
// @ts-expect-error -- untyped module
import Provider from 'oidc-provider';

export interface OidcTestAccount {
  email: string;
  emailVerified: boolean;
}

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by login name (the subject); the development login page accepts any password. */
  accounts: Map<string, OidcTestAccount>;
  stop(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1 with its development login and consent
 * pages, one confidential client registered for `redirectUri`, and PKCE required of it.
 * `port` lets a caller give the issuer to a server before the provider runs.
 */
export async function startOidcProvider(options: { redirectUri: string; port?: number }): Promise<OidcTestProvider> {
  const accounts = new Map<string, OidcTestAccount>();
  let handle: (req: unknown, res: unknown) => void = () => {};
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const clientId = 'perso-kit';
  const clientSecret = 'perso-kit-test-secret';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    pkce: { required: () => true },
    cookies: { keys: ['perso-kit-test-cookie-key'] },
    findAccount: (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: account.email, email_verified: account.emailVerified }) };
    },
  }) as { callback(): (req: unknown, res: unknown) => void; on(event: string, listener: () => void): void };
  // Its warnings about development settings (the dev pages, the test cookie key) are expected here.
  provider.on('server_error', () => {});
  handle = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const oidcEnv = (p: OidcTestProvider, name = 'Acme ID') => ({
  PERSO_OIDC_ISSUER: p.issuer,
  PERSO_OIDC_CLIENT_ID: p.clientId,
  PERSO_OIDC_CLIENT_SECRET: p.clientSecret,
  PERSO_OIDC_NAME: name,
});
