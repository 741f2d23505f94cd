import { html, nothing, type PropertyDeclarations } from 'lit';
import { controls } from '../base/controls.styles.js';
import { IDLE, LoadTask } from '../base/load-task.js';
import { PersoElement } from '../base/perso-element.js';
import { tokens } from '../base/tokens.styles.js';
import { describeError, describeFailure, endedSession } from '../auth/errors.js';
import type { SignOutReason } from '../base/events.js';
import type { User } from '../client/types.js';
import type { KeyList } from './key-list.js';
import { styles } from './perso-api-keys.styles.js';
import { SessionController } from '../client/session-controller.js';

type View = 'signed-out' | 'loading' | 'error' | 'empty' | 'list';

/**
 * Lists, creates and revokes the signed-in user's API keys.
 *
 * @summary API keys table with a create form, a show-once secret and a delete confirmation.
 *
 * @event {CustomEvent<PersoKeyCreatedDetail>} perso-key-created - A key was created. `detail: { key }` (the key's public fields, never the secret).
 * @event {CustomEvent<PersoKeyDeletedDetail>} perso-key-deleted - A key was revoked. `detail: { id }`.
 * @event {CustomEvent<PersoErrorDetail>} perso-error - A request failed. `detail: { code, message }`.
 * @event {CustomEvent<PersoSignedOutDetail>} perso-signed-out - The session ended, here or elsewhere. `detail: {reason}`: `"signed_out"` after a sign-out through this page, else `"expired"`.
 *
 * @slot signed-out - Shown when nobody is signed in, e.g. a `<perso-signin>`.
 *
 * @csspart base - The wrapper around every state.
 * @csspart form - The "Create New API Key" form.
 * @csspart form-title - The form's heading.
 * @csspart input - Every input.
 * @csspart name-input - The "API Key Name" input.
 * @csspart expires-input - The "Expires At" date input.
 * @csspart field-error - The message under an invalid field.
 * @csspart button - Every button.
 * @csspart create-button - The "Create" button.
 * @csspart copy-button - The "Copy" button next to a new key.
 * @csspart delete-button - A row's "Delete" button.
 * @csspart confirm-button - The dialog's "Delete".
 * @csspart cancel-button - The dialog's "Cancel".
 * @csspart retry-button - "Try again" after a failed load.
 * @csspart table-container - The box around the table; it scrolls sideways in narrow hosts.
 * @csspart table-tools - "Hide expired keys" and "Sort by", shown above the table once there are more than 10 keys.
 * @csspart hide-expired-input - The "Hide expired keys" checkbox.
 * @csspart sort-select - The "Sort by" menu.
 * @csspart table - The keys table.
 * @csspart caption - The table's caption.
 * @csspart header-cell - A column header.
 * @csspart row - A key's row.
 * @csspart row-new - The row of the key created just now.
 * @csspart row-expired - The row of an expired key.
 * @csspart cell - Every cell of a row.
 * @csspart name-cell - The "Key Name" cell (the row's header).
 * @csspart key-cell - The "Key" cell.
 * @csspart expires-cell - The "Expires At" cell.
 * @csspart last-used-cell - The "Last Used At" cell.
 * @csspart created-cell - The "Created At" cell.
 * @csspart actions-cell - The "Actions" cell.
 * @csspart secret - The full key, shown once.
 * @csspart warning - "Copy this key now. You won't be able to see it again."
 * @csspart masked-key - A key's masked form.
 * @csspart badge - A status badge.
 * @csspart expired-badge - "Expired".
 * @csspart sparkline - The 30-day usage line.
 * @csspart dialog - The delete confirmation dialog.
 * @csspart dialog-title - The dialog's heading.
 * @csspart error - A failure message.
 * @csspart loading - The loading indicator.
 * @csspart empty - "No API keys yet".
 * @csspart signed-out - The signed-out message and its slot.
 *
 * @cssproperty --perso-color-background - Background.
 * @cssproperty --perso-color-surface - Card headers and the table header.
 * @cssproperty --perso-color-text - Text.
 * @cssproperty --perso-color-muted - Secondary text.
 * @cssproperty --perso-color-border - Borders.
 * @cssproperty --perso-color-primary - Primary button, sparkline.
 * @cssproperty --perso-color-on-primary - Text on the primary colour.
 * @cssproperty --perso-color-danger - Errors and delete.
 * @cssproperty --perso-color-on-danger - Text on the danger colour (the dialog's Delete).
 * @cssproperty --perso-color-warning - The "Copy this key now" warning.
 * @cssproperty --perso-color-success - "Copied".
 * @cssproperty --perso-color-focus - Focus ring.
 * @cssproperty --perso-radius - Corner radius.
 * @cssproperty --perso-spacing - Base spacing.
 * @cssproperty --perso-font-family - Font.
 * @cssproperty --perso-font-family-mono - Font of keys.
 * @cssproperty --perso-font-size - Base font size.
 */
export class PersoApiKeys extends PersoElement {
  static override styles = [tokens, controls, styles];
  static override properties: PropertyDeclarations = { sessionEnded: { state: true, attribute: false } };

  private readonly session = new SessionController(this, () => this.client, {
    onChange: (user, _previous, reason) => this.sessionChanged(user, reason),
  });

  /** The signed-in screen, from its own chunk (key-list.ts), loaded together with the first keys. */
  #list?: KeyList;

  private readonly keysTask = new LoadTask(this, {
    load: async ([client, userId], { signal }) => {
      if (!userId) return IDLE;
      const [keys, { KeyList }] = await Promise.all([client.listKeys(signal), import('./key-list.js')]);
      this.#list ??= new KeyList({ ...this.screenHost((error) => this.reportError(error)), signedIn: () => Boolean(this.session.user) });
      return keys;
    },
    args: () => [this.client, this.session.user?.id] as const,
    onComplete: (keys) => this.#list!.show(keys),
    onError: (error) => void this.reportError(error),
  });

  /** The session ended somewhere other than a sign-out on this page: the signed-out view says so. */
  private sessionEnded = false;

  /** Set when a sign-in took focus with it (the slotted `<perso-signin>` is gone): the form gets it once shown. */
  private focusFormWhenShown = false;

  private clock?: ReturnType<typeof setInterval>;

  override connectedCallback(): void {
    super.connectedCallback();
    // "3 minutes ago" and "Expired" stay true while the page is open.
    this.clock = setInterval(() => this.requestUpdate(), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
    this.#list?.dispose();
  }

  private get view(): View {
    const { user, error } = this.session;
    if (user === undefined) return error ? 'error' : 'loading';
    if (user === null) return 'signed-out';
    const { status } = this.keysTask;
    if (status === 'error') return 'error';
    if (status !== 'complete') return 'loading';
    return this.#list!.keys.length ? 'list' : 'empty';
  }

  private sessionChanged(user: User | null, reason?: SignOutReason): void {
    const active = document.activeElement;
    // Focus on <body> was dropped by a control that went away or turned busy: take it only when
    // that control was most likely ours (a sign-in in our slot), not a card elsewhere on the page.
    const dropped = (!active || active === document.body) && this.querySelector('[slot="signed-out"]') !== null;
    const focusHere = dropped || active === this || this.contains(active);
    if (user) {
      this.sessionEnded = false;
      this.focusFormWhenShown = focusHere;
      return;
    }
    this.sessionEnded = reason === 'expired';
    this.#list?.signedOut();
    if (focusHere) void this.focusSignedOut();
  }

  private async focusSignedOut(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.session-ended, .signed-out-message')?.focus();
  }

  protected override updated(): void {
    if (!this.focusFormWhenShown) return;
    const view = this.view;
    if (view !== 'list' && view !== 'empty') return;
    this.focusFormWhenShown = false;
    this.renderRoot.querySelector<HTMLInputElement>('#name')?.focus();
  }

  private async reportError(error: unknown): Promise<string> {
    const detail = await describeFailure(error, () => this.localize.t);
    if (!endedSession(error)) this.emit('perso-error', detail);
    return detail.message;
  }

  private retry = (): void => {
    if (this.session.user === undefined) void this.session.check();
    else void this.keysTask.run();
  };

  override render() {
    const view = this.view;
    return html`<div part="base" class="base" aria-busy=${view === 'loading' ? 'true' : 'false'}>
      ${this.renderView(view)}
      <p role="status" class="visually-hidden">${this.#list?.announcement}</p>
      ${this.#list?.renderDialog() ?? nothing}
    </div>`;
  }

  private renderView(view: View) {
    switch (view) {
      case 'signed-out':
        return this.renderSignedOut();
      case 'loading':
        return this.renderLoading();
      case 'error':
        return this.renderError();
      default:
        return this.#list!.render(view === 'empty');
    }
  }

  private renderSignedOut() {
    return html`<div part="signed-out" class="card signed-out">
      ${this.sessionEnded
        ? html`<p class="session-ended" role="alert" tabindex="-1">${this.localize.t.term(this.#list?.hasDraft ? 'keys.sessionEnded' : 'auth.sessionEnded')}</p>`
        : nothing}
      <p class="signed-out-message" tabindex="-1">${this.localize.t.term('keys.signedOut')}</p>
      <slot name="signed-out"></slot>
    </div>`;
  }

  private renderLoading() {
    return html`<p part="loading" class="card loading" role="status"><span class="spinner" aria-hidden="true"></span>${this.localize.t.term('keys.loading')}</p>`;
  }

  private renderError() {
    const error = this.session.user === undefined ? this.session.error : this.keysTask.error;
    const { message } = describeError(error, this.localize.t);
    return html`<div part="error" class="card load-error" role="alert">
      <p>${message}</p>
      <button type="button" part="button retry-button" @click=${this.retry}>${this.localize.t.term('keys.retry')}</button>
    </div>`;
  }
}

customElements.get('perso-api-keys') || customElements.define('perso-api-keys', PersoApiKeys);

declare global {
  interface HTMLElementTagNameMap {
    'perso-api-keys': PersoApiKeys;
  }
}
