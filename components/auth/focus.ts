import type { LitElement, ReactiveController } from 'lit';

/**
 * Once `host` has rendered, focuses the first of `selectors` that matches an enabled element,
 * unless something inside the host still has focus. A button that turns disabled (busy, a
 * cooldown) or a step that replaces the focused control drops focus on `<body>`; this puts it
 * on the next meaningful thing instead. Selectors are tried in order, not in document order.
 */
export async function restoreFocus(host: LitElement, selectors: string[]): Promise<void> {
  await host.updateComplete;
  // A control that has just turned disabled still counts as focused until the browser's next
  // rendering step moves focus to <body>: treat it as lost already.
  const inside = host.shadowRoot?.activeElement;
  if (inside && !inside.matches(':disabled')) return;
  // Focus the user moved elsewhere on the page stays there; only a dropped focus is taken back.
  const active = (host.getRootNode() as Document | ShadowRoot).activeElement;
  if (active && active !== host && active !== document.body) return;
  for (const selector of selectors) {
    const target = host.renderRoot.querySelector<HTMLElement>(`${selector}:not(:disabled)`);
    if (target) return target.focus();
  }
}

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

  /**
   * After a failure that belongs to no field: back to the submit button, so the user can try
   * again; while a cooldown disables it, to the alert that says how long; else the heading.
   */
  keep(): Promise<void> {
    return restoreFocus(this.host, ['button[type=submit]', '.alert', '.heading']);
  }
}
