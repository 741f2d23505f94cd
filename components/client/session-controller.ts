import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PersoClient } from './api-client.js';
import type { User } from './types.js';

/**
 * Tracks who is signed in for a host element: asks the client once the host is connected (and
 * whenever its client changes), then follows the client's session broadcasts, so a sign-in in
 * another element on the page shows up here without a reload.
 */
export class SessionController implements ReactiveController {
  /** `undefined` until known, `null` when signed out. */
  user: User | null | undefined;
  /** Why the last check failed (e.g. the server is unreachable), while the user is unknown. */
  error: unknown;
  #client?: PersoClient;
  #unsubscribe?: () => void;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getClient: () => PersoClient,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // The client is read at the next update, once a context provider has had its say.
    this.host.requestUpdate();
  }

  hostUpdate(): void {
    const client = this.getClient();
    if (client === this.#client) return;
    this.#unsubscribe?.();
    this.#client = client;
    this.#unsubscribe = client.onSessionChange((user) => this.#set(user));
    this.user = client.user;
    this.error = undefined;
    void this.check();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#client = undefined;
  }

  /** Asks the server who is signed in. */
  async check(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.error = undefined;
    this.host.requestUpdate();
    try {
      const user = await client.session();
      // A broadcast may have overtaken this answer (e.g. a 401 since): the client knows best.
      if (client === this.#client) this.#set(client.user === undefined ? user : client.user);
    } catch (error) {
      if (client !== this.#client) return;
      this.error = error;
      this.host.requestUpdate();
    }
  }

  #set(user: User | null): void {
    this.user = user;
    this.error = undefined;
    this.host.requestUpdate();
  }
}
