import type { ReactiveControllerHost, TemplateResult } from 'lit';
import type { Localizer } from '../base/localize.js';
import type { PersoClient } from '../client/api-client.js';
import type { User } from '../client/types.js';
import { renderSignedIn } from './views.js';

/** The signed-in step's "Sign out" button, busy while the request runs. */
export class SignOutAction {
  busy = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getClient: () => PersoClient,
  ) {}

  /** Signs out; what went wrong, if anything (the card says it). */
  async run(): Promise<{ error: unknown } | undefined> {
    this.#setBusy(true);
    try {
      await this.getClient().signOut();
      return undefined;
    } catch (error) {
      return { error };
    } finally {
      this.#setBusy(false);
    }
  }

  render(t: Localizer, user: User, onSignOut: () => void, alert?: string): TemplateResult {
    return renderSignedIn(t, user, this.busy, onSignOut, alert);
  }

  #setBusy(busy: boolean): void {
    this.busy = busy;
    this.host.requestUpdate();
  }
}
