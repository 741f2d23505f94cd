import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { loadErrorMessages } from '../base/localize.js';
import type { PersoSignedOutDetail, SignOutReason } from '../base/events.js';
import type { PersoClient } from './api-client.js';
import type { User } from './types.js';

/** The channel the server's verification page posts `{type: "signed-in"}` on (same origin only). */
export const SESSION_CHANNEL = 'perso-session';

export interface SessionControllerOptions {
  /**
   * Called when the known user changes (not on the first answer): a sign-in, or the end of a
   * session with its `reason`.
   */
  onChange?(user: User | null, previous: User | null, reason?: SignOutReason): void;
}

/**
 * Tracks who is signed in for a host element: asks the client once the host is connected (and
 * whenever its client changes), then follows the client's session broadcasts, so a sign-in in
 * another element on the page shows up here without a reload. A sign-in or sign-out in another
 * tab is noticed when this page gets focus or becomes visible again, or at once when the other
 * tab says so on the `perso-session` BroadcastChannel.
 *
 * When a known session ends, the host dispatches `perso-signed-out` (API.md §7): every element
 * that follows the session says so, whichever of them (or another tab) ended it.
 */
export class SessionController implements ReactiveController {
  /** `undefined` until known, `null` when signed out. */
  user: User | null | undefined;
  /** Why the last check failed (e.g. the server is unreachable), while the user is unknown. */
  error: unknown;
  #client?: PersoClient;
  #unsubscribe?: () => void;
  #channel?: BroadcastChannel;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly getClient: () => PersoClient,
    private readonly options: SessionControllerOptions = {},
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    // The client is read at the next update, once a context provider has had its say.
    this.host.requestUpdate();
    window.addEventListener('focus', this.#recheck);
    document.addEventListener('visibilitychange', this.#recheck);
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(SESSION_CHANNEL);
      this.#channel.onmessage = this.#recheck;
    }
  }

  hostUpdate(): void {
    const client = this.getClient();
    if (client === this.#client) return;
    this.#unsubscribe?.();
    this.#client = client;
    this.#unsubscribe = client.onSessionChange((user, reason) => this.#set(user, reason));
    this.user = client.user;
    this.error = undefined;
    void this.check();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#client = undefined;
    window.removeEventListener('focus', this.#recheck);
    document.removeEventListener('visibilitychange', this.#recheck);
    this.#channel?.close();
    this.#channel = undefined;
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
      // The host shows the failure at once: its sentence first.
      await loadErrorMessages();
      if (client !== this.#client) return;
      this.error = error;
      this.host.requestUpdate();
    }
  }

  #recheck = (): void => {
    // Only a known state can change; before the first answer the initial check is running.
    if (this.user !== undefined && document.visibilityState === 'visible') void this.check();
  };

  #set(user: User | null, reason: SignOutReason = 'expired'): void {
    const previous = this.user;
    this.user = user;
    this.error = undefined;
    this.host.requestUpdate();
    if (previous === undefined || previous?.id === user?.id) return;
    this.options.onChange?.(user, previous, user ? undefined : reason);
    if (previous && !user) {
      const detail: PersoSignedOutDetail = { reason };
      this.host.dispatchEvent(new CustomEvent('perso-signed-out', { detail, bubbles: true, composed: true }));
    }
  }
}
