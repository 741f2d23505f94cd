import * as oidc from 'openid-client';
import type { AppConfig, SocialProvider, SocialProviderId } from '../config.js';

/** What a provider says about the person, once the code exchange and every check passed. */
export interface ProviderProfile {
  /** The identity's namespace: the issuer for OpenID providers, `github` for GitHub. */
  provider: string;
  subject: string;
  email: string | null;
  /** Only a provider's explicit word counts: a missing `email_verified` is false. */
  emailVerified: boolean;
}

/** The checks a callback must pass, kept with the state between start and callback. */
export interface FlowChecks {
  state: string;
  codeVerifier: string;
  /** OpenID providers only: GitHub has no ID token to carry it. */
  nonce?: string;
}

/** Why a provider round trip failed, in the terms the user is told. */
export class OAuthFailure extends Error {
  constructor(readonly reason: 'unavailable' | 'rejected') {
    super(reason);
    this.name = 'OAuthFailure';
  }
}

export interface OAuthClients {
  authorizationUrl(provider: SocialProvider, checks: FlowChecks): Promise<URL>;
  /** Exchanges the code in `callbackUrl` and reads the person's identity and email. */
  finish(provider: SocialProvider, callbackUrl: URL, checks: FlowChecks): Promise<ProviderProfile>;
}

const isPlainHttp = (url: string) => new URL(url).protocol === 'http:';

/** A provider that does not answer in this long is reported as unavailable, not waited on. */
const DEFAULT_TIMEOUT_S = 10;

/**
 * openid-client for every provider: discovery (cached; a failed one is retried next time) for
 * OpenID providers, a hand-made server description for GitHub, which is OAuth 2 only.
 * config.ts already refused plain http except on loopback, so allowing it here is safe.
 */
export function createOAuthClients(config: Pick<AppConfig, 'publicUrl'>, options: { timeoutS?: number } = {}): OAuthClients {
  const timeout = options.timeoutS ?? DEFAULT_TIMEOUT_S;
  const configurations = new Map<SocialProviderId, Promise<oidc.Configuration>>();
  const redirectUri = (provider: SocialProvider) => `${config.publicUrl}/api/oauth/${provider.id}/callback`;

  async function build(provider: SocialProvider): Promise<oidc.Configuration> {
    const { endpoints } = provider;
    if (endpoints.kind === 'github') {
      const configuration = new oidc.Configuration(
        { issuer: endpoints.baseUrl, authorization_endpoint: `${endpoints.baseUrl}/login/oauth/authorize`, token_endpoint: `${endpoints.baseUrl}/login/oauth/access_token` },
        provider.clientId,
        provider.clientSecret,
      );
      if (isPlainHttp(endpoints.baseUrl)) oidc.allowInsecureRequests(configuration);
      configuration.timeout = timeout;
      return configuration;
    }
    const configuration = await oidc.discovery(new URL(endpoints.issuer), provider.clientId, provider.clientSecret, undefined, {
      execute: isPlainHttp(endpoints.issuer) ? [oidc.allowInsecureRequests] : [],
      timeout,
    });
    configuration.timeout = timeout;
    return configuration;
  }

  function configuration(provider: SocialProvider): Promise<oidc.Configuration> {
    let pending = configurations.get(provider.id);
    if (!pending) {
      pending = build(provider);
      configurations.set(provider.id, pending);
      pending.catch(() => configurations.delete(provider.id));
    }
    return pending.catch((error: unknown) => {
      throw classify(error);
    });
  }

  async function githubProfile(provider: SocialProvider & { endpoints: { kind: 'github' } }, cfg: oidc.Configuration, accessToken: string): Promise<ProviderProfile> {
    const headers = new Headers({ accept: 'application/vnd.github+json', 'user-agent': 'perso-kit' });
    const read = async (path: string): Promise<unknown> => {
      const response = await oidc.fetchProtectedResource(cfg, accessToken, new URL(`${provider.endpoints.apiUrl}${path}`), 'GET', undefined, headers);
      if (!response.ok) throw new OAuthFailure(response.status >= 500 ? 'unavailable' : 'rejected');
      return response.json();
    };
    const user = (await read('/user')) as { id?: unknown };
    if (typeof user.id !== 'number' && typeof user.id !== 'string') throw new OAuthFailure('rejected');
    const emails = (await read('/user/emails')) as { email?: unknown; primary?: unknown; verified?: unknown }[];
    // The primary address is the one GitHub mails; a verified secondary is not the person's choice.
    const primary = Array.isArray(emails) ? emails.find((e) => e.primary === true && typeof e.email === 'string') : undefined;
    return { provider: 'github', subject: String(user.id), email: (primary?.email as string | undefined) ?? null, emailVerified: primary?.verified === true };
  }

  async function openIdProfile(cfg: oidc.Configuration, tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): Promise<ProviderProfile> {
    const claims = tokens.claims();
    if (!claims) throw new OAuthFailure('rejected');
    let email = typeof claims.email === 'string' ? claims.email : null;
    let verified = claims.email_verified === true;
    // Some providers (oidc-provider among them) put the email only in userinfo.
    if (!email) {
      const info = await oidc.fetchUserInfo(cfg, tokens.access_token, claims.sub);
      email = typeof info.email === 'string' ? info.email : null;
      verified = info.email_verified === true;
    }
    return { provider: cfg.serverMetadata().issuer, subject: claims.sub, email, emailVerified: verified };
  }

  return {
    async authorizationUrl(provider, checks) {
      const cfg = await configuration(provider);
      const parameters: Record<string, string> = {
        redirect_uri: redirectUri(provider),
        scope: provider.endpoints.kind === 'github' ? 'read:user user:email' : 'openid email profile',
        state: checks.state,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      };
      if (checks.nonce) parameters.nonce = checks.nonce;
      return oidc.buildAuthorizationUrl(cfg, parameters);
    },

    async finish(provider, callbackUrl, checks) {
      const cfg = await configuration(provider);
      try {
        const tokens = await oidc.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          ...(checks.nonce ? { expectedNonce: checks.nonce, idTokenExpected: true } : {}),
        });
        return provider.endpoints.kind === 'github' ? await githubProfile({ ...provider, endpoints: provider.endpoints }, cfg, tokens.access_token) : await openIdProfile(cfg, tokens);
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

/**
 * A timeout, a refused connection or a provider's 5xx is the provider being down; anything
 * else (a refused code, a bad signature, a wrong nonce or issuer) is a rejected sign-in.
 */
function classify(error: unknown): OAuthFailure {
  if (error instanceof OAuthFailure) return error;
  const unreachable = (e: unknown): boolean => {
    const x = e as { name?: string; code?: string; status?: number; cause?: unknown } | undefined;
    if (!x || typeof x !== 'object') return false;
    if (x.name === 'TimeoutError' || x.name === 'AbortError' || x.code === 'OAUTH_TIMEOUT' || x instanceof TypeError) return true;
    // openid-client keeps the provider's response as the cause of a non-conforming answer.
    if (typeof x.status === 'number' && x.status >= 500) return true;
    return x.cause !== undefined && x.cause !== e && unreachable(x.cause);
  };
  return new OAuthFailure(unreachable(error) ? 'unavailable' : 'rejected');
}

export const randomCheckValue = () => oidc.randomState();
export const randomCodeVerifier = () => oidc.randomPKCECodeVerifier();
