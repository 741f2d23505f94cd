import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How often a waiting sign-up asks whether another tab has completed it. */
export const SESSION_POLL_MS = 4000;

/**
 * Re-checks the session on a timer while `active` and the page is visible: the fallback when
 * the tab that completed a sign-up could not say so (another origin, no BroadcastChannel).
 */
export class SessionPoll implements ReactiveController {
  #active = false;
  #timer?: ReturnType<typeof setInterval>;

  constructor(
    host: ReactiveControllerHost,
    private readonly check: () => void,
    private readonly intervalMs = SESSION_POLL_MS,
  ) {
    host.addController(this);
  }

  set active(active: boolean) {
    if (active === this.#active) return;
    this.#active = active;
    if (active) this.#start();
    else this.#stop();
  }

  get active(): boolean {
    return this.#active;
  }

  hostConnected(): void {
    if (this.#active) this.#start();
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #start(): void {
    this.#stop();
    this.#timer = setInterval(() => {
      if (document.visibilityState === 'visible') this.check();
    }, this.intervalMs);
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
