import type { ReactiveControllerHost } from 'lit';

/**
 * What an element imports only when it is about to show it (a module, or something made from
 * one); `value` is set, and the element re-renders, once it has arrived. Elements call `load()` before each
 * update that needs it (and on intent, e.g. hovering the link that leads there), so a failed
 * load is tried again then; meanwhile they show "Loading…" in its place.
 */
export class LazyModule<T> {
  value?: T;
  #loading?: Promise<void>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly importModule: () => Promise<T>,
  ) {}

  load(): void {
    this.#loading ??= this.importModule().then(
      (value) => {
        this.value = value;
        this.host.requestUpdate();
      },
      () => {
        this.#loading = undefined;
      },
    );
  }
}
