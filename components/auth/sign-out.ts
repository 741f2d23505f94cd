import type { ReactiveControllerHost, TemplateResult } from 'lit';
import type { Localizer } from '../base/localize.js';
import type { PersoClient } from '../client/api-client.js';
import type { User } from '../client/types.js';
import { renderSignedIn } from './views.js';

/** What the card does around a sign-out; the alert and the step it shows are the card's own. */
export interface SignOutHooks {
  /** Clears what an earlier request left on screen. */
  started(): void;
  signedOut(): void;
  failed(error: unknown): void;
}

/** The signed-in step's "Sign out" button, busy while the request runs. */
export class SignOutAction {
  busy = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getClient: () => PersoClient,
    private readonly hooks: SignOutHooks,
  ) {}

  run = async (): Promise<void> => {
    this.#setBusy(true);
    this.hooks.started();
    try {
      await this.getClient().signOut();
      this.hooks.signedOut();
    } catch (error) {
      this.hooks.failed(error);
    } finally {
      this.#setBusy(false);
    }
  };

  render(t: Localizer, user: User, alert?: string): TemplateResult {
    return renderSignedIn(t, user, this.busy, this.run, alert);
  }

  #setBusy(busy: boolean): void {
    this.busy = busy;
    this.host.requestUpdate();
  }
}
