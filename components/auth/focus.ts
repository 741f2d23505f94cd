import type { LitElement, ReactiveController } from 'lit';

/**
 * Where focus goes when an auth card changes under the user. A new step replaces the element
 * that had focus, so focus moves to the new step's heading and a screen reader announces it.
 */
export class StepFocus implements ReactiveController {
  #toHeading = false;

  constructor(private readonly host: LitElement) {
    host.addController(this);
  }

  /** Focuses the heading once the next render, which shows the new step, is done. */
  headingAfterUpdate(): void {
    this.#toHeading = true;
  }

  hostUpdated(): void {
    if (!this.#toHeading) return;
    this.#toHeading = false;
    this.host.renderRoot.querySelector<HTMLElement>('.heading')?.focus();
  }

  /** A disabled busy button drops focus; put it back so keyboard users stay in the form. */
  async keep(): Promise<void> {
    await this.host.updateComplete;
    if (!this.host.shadowRoot?.activeElement) this.host.renderRoot.querySelector<HTMLElement>('button[type=submit], .heading')?.focus();
  }
}
