import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PersoClient } from './api-client.js';
import { clientContext } from './context.js';

/**
 * Asks the nearest provider above the host for a client through the community context
 * protocol (a bubbling, composed `context-request` event, which `@lit/context`'s
 * `ContextProvider` and `@provide` answer) and follows it as it changes. The consumer side
 * of `@lit/context` in a few lines: no provider, no client, and the element uses the shared one.
 */
export class ClientConsumer implements ReactiveController {
  #unsubscribe?: () => void;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly provided: (client: PersoClient) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const request = Object.assign(new Event('context-request', { bubbles: true, composed: true }), {
      context: clientContext,
      contextTarget: this.host,
      subscribe: true,
      callback: (client: PersoClient, unsubscribe?: () => void) => {
        // A new provider (the element moved) replaces the old one's subscription.
        if (this.#unsubscribe !== unsubscribe) this.#unsubscribe?.();
        this.#unsubscribe = unsubscribe;
        this.provided(client);
      },
    });
    this.host.dispatchEvent(request);
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
