import { LitElement, type PropertyDeclarations } from 'lit';
import type { PersoClient } from '../client/api-client.js';
import { ClientConsumer } from '../client/client-consumer.js';
import { sharedClient } from '../client/context.js';
import type { PersoEventDetail, PersoEventName } from './events.js';
import { LocalizeController, type Localized } from './localize.js';
import type { ScreenHost } from './screen.js';

/**
 * Base of every Perso element: the `api`, `organization` and `theme` attributes, the shared
 * API client, and a typed `emit()`.
 *
 * @attribute {"en" | "ko" | string} lang - The element's language (the global attribute): else the nearest ancestor's, else `<html lang>`; English and Korean ship, others through `registerTranslation()`.
 */
export class PersoElement extends LitElement implements Localized {
  // Declared here rather than with Lit's decorators, which cost the kit's download their code.
  // `attribute: false` (implied by `state: true`) keeps internal state out of the manifest's attributes.
  static override properties: PropertyDeclarations = {
    api: {},
    organization: {},
    theme: { reflect: true },
    providedClient: { state: true, attribute: false },
  };

  /** Base URL of the Perso server; defaults to the page's origin. */
  api?: string;

  /** Organization id whose settings apply. */
  organization = 'default';

  /** Forces a colour scheme; without it the element follows `prefers-color-scheme`. */
  theme?: 'light' | 'dark';

  /**
   * The element's language and its strings, dates and numbers.
   * @internal
   */
  readonly localize = new LocalizeController(this);

  /** A client provided through context (by a host or a story) wins over the shared one. */
  protected providedClient?: PersoClient;

  constructor() {
    super();
    // A controller of this element from here on: it asks for a client whenever it connects.
    new ClientConsumer(this, (client) => (this.providedClient = client));
  }

  protected get client(): PersoClient {
    return this.providedClient ?? sharedClient(this.api ?? globalThis.location?.origin ?? '');
  }

  /** Dispatches a bubbling, composed, typed event. */
  protected emit<K extends PersoEventName>(type: K, detail: PersoEventDetail<K>): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable: false }));
  }

  /** What a screen loaded in its own chunk (`Screen`) may reach of this element. */
  protected screenHost(reportError: (error: unknown) => Promise<string>): ScreenHost {
    return {
      root: () => this.renderRoot,
      client: () => this.client,
      t: () => this.localize.t,
      requestUpdate: () => this.requestUpdate(),
      updated: () => this.updateComplete,
      emit: (type, detail) => this.emit(type, detail),
      reportError,
    };
  }
}
