import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { loadErrorMessages } from './localize.js';

/** What a load function returns when there is nothing to load (e.g. nobody is signed in). */
export const IDLE = Symbol('idle');

export type LoadStatus = 'idle' | 'pending' | 'complete' | 'error';

export interface LoadTaskOptions<Args extends readonly unknown[], T> {
  load(args: Args, options: { signal: AbortSignal }): Promise<T | typeof IDLE>;
  /** Read before every update; a change starts a new load and aborts the one under way. */
  args(): Args;
  onComplete?(value: T): void;
  onError?(error: unknown): void;
}

/**
 * Loads what an element shows from its inputs (the client, the signed-in user, the
 * organization) and re-renders it when the load settles: the few parts of `@lit/task` the kit
 * uses, in a fraction of its bytes. A load superseded by newer inputs or by `run()` is aborted
 * and its outcome ignored.
 */
export class LoadTask<Args extends readonly unknown[], T> implements ReactiveController {
  status: LoadStatus = 'idle';
  value?: T;
  error?: unknown;
  #args?: Args;
  #abort?: AbortController;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: LoadTaskOptions<Args, T>,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const args = this.options.args();
    const previous = this.#args;
    if (previous && args.length === previous.length && args.every((arg, i) => arg === previous[i])) return;
    this.#args = args;
    void this.run();
  }

  /** Loads again with the current inputs (a "Try again" button). */
  async run(): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    const args = (this.#args ??= this.options.args());
    this.status = 'pending';
    this.host.requestUpdate();
    try {
      const value = await this.options.load(args, { signal: abort.signal });
      if (abort.signal.aborted) return;
      if (value === IDLE) {
        this.status = 'idle';
      } else {
        this.value = value;
        this.status = 'complete';
        this.options.onComplete?.(value);
      }
    } catch (error) {
      // The failure is shown at once: its sentence first.
      await loadErrorMessages();
      if (abort.signal.aborted) return;
      this.error = error;
      this.status = 'error';
      this.options.onError?.(error);
    }
    this.host.requestUpdate();
  }
}
