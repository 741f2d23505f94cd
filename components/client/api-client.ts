import { ApiError } from './api-error.js';
import type { ApiKey, CreatedApiKey, ErrorBody, OrganizationConfig, User } from './types.js';

export type SessionListener = (user: User | null) => void;

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

  signUp(input: { email: string; password: string; organization?: string; redirect?: string }): Promise<{ status: string }> {
    return this.#request('POST', '/api/signup', input);
  }

  resendVerification(email: string): Promise<void> {
    return this.#request('POST', '/api/verify-email/resend', { email });
  }

  async verifyEmail(token: string): Promise<User> {
    const { user } = await this.#request<{ user: User }>('POST', '/api/verify-email', { token });
    this.#setUser(user);
    return user;
  }

  async signIn(email: string, password: string): Promise<User> {
    const { user } = await this.#request<{ user: User }>('POST', '/api/signin', { email, password });
    this.#setUser(user);
    return user;
  }

  async signOut(): Promise<void> {
    await this.#request('POST', '/api/signout');
    this.#setUser(null);
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

  #setUser(user: User | null): void {
    const changed = this.#user?.id !== user?.id || this.#user === undefined;
    this.#user = user;
    if (changed) for (const listener of this.#listeners) listener(user);
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
    return new ApiError(response.status, error.code, error.message, error.fields, retryAfter);
  } catch {
    return new ApiError(response.status, 'unexpected_response', `The server answered ${response.status}. Try again in a moment.`, {}, retryAfter);
  }
}
