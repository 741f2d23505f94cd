import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { LoadTask } from '../base/load-task.js';
import type { Localizer } from '../base/localize.js';
import type { PersoClient } from '../client/api-client.js';
import { SessionController, type SessionControllerOptions } from '../client/session-controller.js';
import type { OrganizationConfig, User } from '../client/types.js';
import { loadAuthConfig } from './config.js';
import { describeError } from './errors.js';
import { loadProviderMarks, renderConfigError, renderHeader, renderLoading } from './views.js';

/**
 * Where an auth card is before its own steps: still loading the organization's config,
 * failed to load it, or facing someone already signed in. Only when `ready` does the card
 * choose a step of its own.
 */
export type GateStep = 'pending' | 'signed-in' | 'ready';

/**
 * Holds an auth card back until it knows the organization's enabled methods and whether
 * someone is signed in, then follows the session so a sign-in elsewhere on the page shows here.
 */
export class AuthGate {
  readonly #config: LoadTask<readonly [PersoClient, string], OrganizationConfig>;
  readonly #session: SessionController;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    getClient: () => PersoClient,
    getOrganization: () => string,
    sessionOptions: SessionControllerOptions = {},
    /** Loads what the config's methods need (their chunks) before the card shows them. */
    prepare: (config: OrganizationConfig) => Promise<unknown> = async () => undefined,
  ) {
    this.#config = new LoadTask(host, {
      load: async ([client, organization], { signal }) => {
        const config = await loadAuthConfig(client, organization, signal);
        await Promise.all([prepare(config), config.methods.social.length > 0 && loadProviderMarks()]);
        return config;
      },
      args: () => [getClient(), getOrganization()] as const,
    });
    this.#session = new SessionController(host, getClient, sessionOptions);
  }

  get step(): GateStep {
    if (this.#config.status !== 'complete') return 'pending';
    return this.#session.user ? 'signed-in' : 'ready';
  }

  /** The organization's config; set once `step` has left `pending`. */
  get config(): OrganizationConfig | undefined {
    return this.#config.value;
  }

  /** The signed-in user; set when `step` is `signed-in`. */
  get user(): User | null | undefined {
    return this.#session.user;
  }

  /** Asks the server again who is signed in (e.g. whether another tab completed a sign-up). */
  recheckSession(): void {
    void this.#session.check();
  }

  /**
   * The shell both auth cards share: the gate's own steps (loading, the load error, "Signed in
   * as") or, once `ready`, the card's; then the host's `footer` slot.
   */
  renderCard(t: Localizer, card: { heading: string; signedIn: (user: User) => TemplateResult; ready: () => TemplateResult }): TemplateResult {
    const step = this.step;
    const content = step === 'pending' ? this.renderPending(t, card.heading) : step === 'signed-in' ? card.signedIn(this.user!) : card.ready();
    return html`${content}<slot name="footer"></slot>`;
  }

  /** The `pending` step: a spinner, or the load error with a way to try again. */
  renderPending(t: Localizer, heading: string): TemplateResult {
    if (this.#config.status === 'error') {
      return html`${renderHeader(heading)}${renderConfigError(t, describeError(this.#config.error, t).message, () => this.#config.run())}`;
    }
    return html`${renderHeader(heading)}${renderLoading(t)}`;
  }
}
