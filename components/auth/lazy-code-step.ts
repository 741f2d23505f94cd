import type { LitElement } from 'lit';
import type { PersoErrorDetail } from '../base/events.js';
import type { Localized } from '../base/localize.js';
import type { PersoClient } from '../client/api-client.js';
import type { CodeStep } from './code-step.js';

/**
 * Loads an auth card's code step (code-step.ts) when the card is about to need it: when a
 * sign-up is sent (its answer leads there), when a sign-in meets an unverified email, or when
 * a provider's return names an attempt waiting for its code. `step` is set, and the card
 * re-renders, once it has arrived; until then the card shows "Loading…" in its place. Cards
 * call `load()` before each update that needs the step, so a failed load is retried then.
 */
export class LazyCodeStep {
  step?: CodeStep;
  #loading?: Promise<void>;

  constructor(
    private readonly host: LitElement & Localized,
    private readonly getClient: () => PersoClient,
    private readonly onError: (detail: PersoErrorDetail) => void,
  ) {}

  /** Starts loading (once); a failed load is tried again at the next call. */
  load(): void {
    if (this.#loading) return;
    this.#loading = import('./code-step.js').then(
      ({ CodeStep }) => {
        this.step = new CodeStep(this.host, this.getClient, this.onError);
        this.host.requestUpdate();
      },
      () => {
        this.#loading = undefined;
      },
    );
  }
}
