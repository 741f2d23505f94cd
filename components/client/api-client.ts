import type { SignOutReason } from '../base/events.js';
import { ApiError } from './api-error.js';
import type {
  ApiKey,
  CreatedApiKey,
  ErrorBody,
  MailLocale,
  OrganizationConfig,
  Passkey,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyRequestOptions,
  PasskeySignUpInput,
  ResendAccepted,
  SignUpAccepted,
  SignUpInput,
  User,
  VerificationProof,
} from './types.js';

/** `reason` says why a session ended; set only when `user` is `null`. */
export type SessionListener = (user: User | null, reason?: SignOutReason) => void;

/**
 * The only code in the kit that calls `fetch`. Sends the session cookie with every request,
 * turns the server's error shape into `ApiError`, and broadcasts session changes so every
 * element sharing this client (through context) updates without a page reload.
 */
export class PersoClient {
  readonly baseUrl: string;
  #user: User | null | undefined;
  #listeners = new Set<SessionListener>();
  #sessionRequest?: Promise<User | null>;

  constructor(baseUrl: string, private readonly fetchImpl: typeof fetch = (...args) => fetch(...args)) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** The signed-in user as last seen, `null` when signed out, `undefined` before the first check. */
  get user(): User | null | undefined {
    return this.#user;
  }

  onSessionChange(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  config(organization: string, signal?: AbortSignal): Promise<OrganizationConfig> {
    return this.#request('GET', `/api/config?organization=${encodeURIComponent(organization)}`, undefined, signal);
  }

  signUp(input: SignUpInput): Promise<SignUpAccepted> {
    return this.#request('POST', '/api/signup', input);
  }

  /**
   * Re-sends the verification mail of one attempt: the given id, else the one the
   * `perso_signup` cookie names. Never another browser's attempt.
   */
  async resendVerification(attempt?: string): Promise<ResendAccepted> {
    const answer = await this.#request<ResendAccepted | undefined>('POST', '/api/verify-email/resend', attempt ? { attempt } : {});
    return answer ?? { status: 'verification_sent' };
  }

  /** Completes a sign-up attempt (link token, or code + attempt id) and signs this browser in. */
  async verifyEmail(proof: VerificationProof): Promise<User> {
    const { user } = await this.#request<{ user: User }>('POST', '/api/verify-email', proof);
    this.#setUser(user);
    return user;
  }

  /** Asks for a password-reset mail; the server answers the same whether or not the email has an account. */
  async requestPasswordReset(email: string, locale?: MailLocale): Promise<void> {
    await this.#request('POST', '/api/password-reset', locale ? { email, locale } : { email });
  }

  async signIn(email: string, password: string): Promise<User> {
    const { user } = await this.#request<{ user: User }>('POST', '/api/signin', { email, password });
    this.#setUser(user);
    return user;
  }

  async signOut(): Promise<void> {
    await this.#request('POST', '/api/signout');
    this.#setUser(null, 'signed_out');
  }

  /** The current session; concurrent callers share one request. */
  session(): Promise<User | null> {
    this.#sessionRequest ??= this.#request<{ user: User }>('GET', '/api/session')
      .then(({ user }) => user)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      })
      .then((user) => {
        this.#setUser(user);
        return user;
      })
      .finally(() => {
        this.#sessionRequest = undefined;
      });
    return this.#sessionRequest;
  }

  async listKeys(signal?: AbortSignal): Promise<ApiKey[]> {
    const { keys } = await this.#request<{ keys: ApiKey[] }>('GET', '/api/keys', undefined, signal);
    return keys;
  }

  createKey(input: { name: string; expiresAt?: string }): Promise<CreatedApiKey> {
    return this.#request('POST', '/api/keys', input);
  }

  deleteKey(id: string): Promise<void> {
    return this.#request('DELETE', `/api/keys/${encodeURIComponent(id)}`);
  }

  /** Creation options for a new account's passkey (API.md §3). */
  async passkeySignUpOptions(email: string, organization: string, signal?: AbortSignal): Promise<PasskeyCreationOptions> {
    return (await this.#request<{ options: PasskeyCreationOptions }>('POST', '/api/passkeys/signup/options', { email, organization }, signal)).options;
  }

  /** Starts a sign-up attempt holding the new passkey; answered like `signUp`. */
  passkeySignUp(input: PasskeySignUpInput): Promise<SignUpAccepted> {
    return this.#request('POST', '/api/passkeys/signup/verify', input);
  }

  async passkeySignInOptions(organization: string, signal?: AbortSignal): Promise<PasskeyRequestOptions> {
    return (await this.#request<{ options: PasskeyRequestOptions }>('POST', '/api/passkeys/signin/options', { organization }, signal)).options;
  }

  async passkeySignIn(response: unknown): Promise<User> {
    const { user } = await this.#request<{ user: User }>('POST', '/api/passkeys/signin/verify', { response });
    this.#setUser(user);
    return user;
  }

  listPasskeys(signal?: AbortSignal): Promise<PasskeyList> {
    return this.#request('GET', '/api/passkeys', undefined, signal);
  }

  async addPasskeyOptions(): Promise<PasskeyCreationOptions> {
    return (await this.#request<{ options: PasskeyCreationOptions }>('POST', '/api/passkeys/options')).options;
  }

  async addPasskey(response: unknown): Promise<Passkey> {
    return (await this.#request<{ passkey: Passkey }>('POST', '/api/passkeys', { response })).passkey;
  }

  deletePasskey(id: string): Promise<void> {
    return this.#request('DELETE', `/api/passkeys/${encodeURIComponent(id)}`);
  }

  #setUser(user: User | null, reason: SignOutReason = 'expired'): void {
    const changed = this.#user?.id !== user?.id || this.#user === undefined;
    this.#user = user;
    if (changed) for (const listener of this.#listeners) listener(user, user ? undefined : reason);
  }

  async #request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        credentials: 'include',
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
    }
    // Only a lost session signs the page out; a wrong password (also 401) does not.
    if (response.status === 401 && this.#user && path !== '/api/signin') this.#setUser(null);
    if (response.ok) {
      const isJson = response.headers.get('content-type')?.includes('json');
      // A 202/204 may come with a JSON content type and no body at all.
      const text = response.status === 204 || !isJson ? '' : await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
    throw await toApiError(response);
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('retry-after')) || undefined;
  try {
    const { error } = (await response.json()) as ErrorBody;
    const { code, message, fields, ...extra } = error;
    return new ApiError(response.status, code, message, fields, retryAfter, extra);
  } catch {
    return new ApiError(response.status, 'unexpected_response', `The server answered ${response.status}. Try again in a moment.`, {}, retryAfter);
  }
}
