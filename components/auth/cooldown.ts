import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface CooldownOptions {
  now?: () => number;
  /** Runs when a countdown runs out (not when it is stopped), e.g. to clear what it explained. */
  ended?: () => void;
}

/** A countdown in whole seconds that re-renders its host every second until it ends. */
export class CooldownController implements ReactiveController {
  #until = 0;
  #timer?: ReturnType<typeof setTimeout>;
  readonly #now: () => number;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: CooldownOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    host.addController(this);
  }

  /** Seconds left, rounded up; 0 when the cooldown is over. */
  get remaining(): number {
    return Math.max(0, Math.ceil((this.#until - this.#now()) / 1000));
  }

  get active(): boolean {
    return this.remaining > 0;
  }

  start(seconds: number): void {
    this.#until = this.#now() + seconds * 1000;
    this.#schedule();
    this.host.requestUpdate();
  }

  stop(): void {
    this.#until = 0;
    clearTimeout(this.#timer);
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.#schedule();
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    const left = this.#until - this.#now();
    if (left <= 0) return;
    // Wake on the next whole-second boundary so the shown number never lags.
    this.#timer = setTimeout(() => {
      this.host.requestUpdate();
      if (this.active) this.#schedule();
      else this.options.ended?.();
    }, left % 1000 || 1000);
  }
}
