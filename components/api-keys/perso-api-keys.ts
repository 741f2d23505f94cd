import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing } from 'lit';
import { query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { controls } from '../base/controls.styles.js';
import { dialog } from '../base/dialog.styles.js';
import { PersoElement } from '../base/perso-element.js';
import { tokens } from '../base/tokens.styles.js';
import { describeError, endedSession } from '../auth/errors.js';
import { ApiError } from '../client/api-error.js';
import type { ApiKey } from '../client/types.js';
import type { SignOutReason } from '../base/events.js';
import type { User } from '../client/types.js';
import { type CreateFormState, type FormDraft, readCreateForm, readDraft, renderCreateForm } from './create-form.js';
import { type PendingDelete, renderDeleteDialog } from './delete-dialog.js';
import { KEY_ORDERS, MANY_KEYS, type KeyOrder, arrangeKeys } from './key-order.js';
import { type CopyStatus, renderKeyRow } from './key-row.js';
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
  static override styles = [tokens, controls, dialog, styles];

  private readonly session = new SessionController(this, () => this.client, {
    onChange: (user, _previous, reason) => this.sessionChanged(user, reason),
  });

  private readonly keysTask = new Task(this, {
    task: async ([client, userId], { signal }) => (userId ? client.listKeys(signal) : initialState),
    args: () => [this.client, this.session.user?.id] as const,
    onComplete: (keys) => {
      this.keys = keys;
      this.revealed = undefined;
    },
    onError: (error) => this.reportError(error),
  });

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('form') private createForm?: HTMLFormElement;

  @state() private keys: ApiKey[] = [];
  /** The secret of the key created just now; in memory only, gone at the next load. */
  @state() private revealed?: { id: string; secret: string };
  @state() private copyStatus: CopyStatus;
  @state() private form: CreateFormState = { busy: false, errors: {} };
  @state() private pendingDelete?: PendingDelete;
  @state() private announcement = '';
  /** The session ended somewhere other than a sign-out on this page: the signed-out view says so. */
  @state() private sessionEnded = false;
  /** What was typed in the create form when the session ended, put back after signing in again. */
  @state() private draft?: FormDraft;
  /** "Hide expired keys" and "Sort by", offered once there are more than `MANY_KEYS`. */
  @state() private hideExpired = false;
  @state() private order: KeyOrder = 'created';

  /** Set when a sign-in took focus with it (the slotted `<perso-signin>` is gone): the form gets it once shown. */
  private focusFormWhenShown = false;

  /** Where focus goes when the dialog closes: a key's Delete button, else the name field. */
  private focusAfterDialog?: string;
  private clock?: ReturnType<typeof setInterval>;
  private copyReset?: ReturnType<typeof setTimeout>;

  override connectedCallback(): void {
    super.connectedCallback();
    // "3 minutes ago" and "Expired" stay true while the page is open.
    this.clock = setInterval(() => this.requestUpdate(), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
    clearTimeout(this.copyReset);
  }

  private get view(): View {
    const { user, error } = this.session;
    if (user === undefined) return error ? 'error' : 'loading';
    if (user === null) return 'signed-out';
    const { status } = this.keysTask;
    if (status === TaskStatus.ERROR) return 'error';
    if (status !== TaskStatus.COMPLETE) return 'loading';
    return this.keys.length ? 'list' : 'empty';
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
    if (this.createForm) this.draft = readDraft(this.createForm);
    this.form = { busy: false, errors: {} };
    if (this.dialog?.open) this.dialog.close();
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

  private reportError(error: unknown): string {
    const detail = describeError(error, this.localize.t);
    if (!endedSession(error)) this.emit('perso-error', detail);
    return detail.message;
  }

  private retry = (): void => {
    if (this.session.user === undefined) void this.session.check();
    else void this.keysTask.run();
  };

  private onCreate = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (this.form.busy) return;
    const { input, errors } = readCreateForm(form, this.localize.t);
    if (Object.keys(errors).length > 0) {
      this.form = { busy: false, errors };
      return this.focusInvalidField();
    }
    this.form = { busy: true, errors: {} };
    try {
      const { key, secret } = await this.client.createKey(input);
      this.keys = [key, ...this.keys.filter((k) => k.id !== key.id)];
      this.revealed = { id: key.id, secret };
      this.copyStatus = undefined;
      this.announcement = this.localize.t.term('keys.created', { name: key.name });
      form.reset();
      this.draft = undefined;
      this.form = { busy: false, errors: {} };
      const { secret: _never, ...publicKey } = key as ApiKey & { secret?: string };
      this.emit('perso-key-created', { key: publicKey });
      await this.updateComplete;
      // The new row is the first thing to see even in a long or scrolled table.
      this.renderRoot.querySelector('tr.new')?.scrollIntoView({ block: 'nearest' });
      this.renderRoot.querySelector<HTMLButtonElement>('.copy')?.focus({ preventScroll: true });
    } catch (error) {
      // A lost session already shows the signed-out view, with the typed name kept as a draft.
      if (!this.session.user) return;
      const message = this.reportError(error);
      const fields = error instanceof ApiError ? error.fields : {};
      const fieldErrors = { ...(fields.name && { name: fields.name }), ...(fields.expiresAt && { expiresAt: fields.expiresAt }) };
      const onField = Object.keys(fieldErrors).length > 0;
      this.form = { busy: false, errors: fieldErrors, error: onField ? undefined : message };
      if (onField) this.focusInvalidField();
    }
  };

  /** Re-checks a field that was marked invalid as soon as the user changes it. */
  private revalidate(field: 'name' | 'expiresAt'): void {
    if (!this.form.errors[field] || !this.createForm) return;
    const { errors } = readCreateForm(this.createForm, this.localize.t);
    this.form = { ...this.form, errors: { ...this.form.errors, [field]: errors[field] } };
  }

  private async focusInvalidField(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus();
  }

  private copySecret = async (): Promise<void> => {
    const secret = this.revealed?.secret;
    if (!secret) return;
    clearTimeout(this.copyReset);
    try {
      await navigator.clipboard.writeText(secret);
      this.copyStatus = 'copied';
      this.copyReset = setTimeout(() => (this.copyStatus = undefined), 4000);
    } catch {
      // No clipboard access (permissions, insecure page): select the key so the user copies it.
      const code = this.renderRoot.querySelector('#secret');
      if (code) getSelection()?.selectAllChildren(code);
      this.copyStatus = 'manual';
    }
  };

  private openDelete = async (key: ApiKey): Promise<void> => {
    this.pendingDelete = { key, busy: false };
    this.focusAfterDialog = key.id;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.querySelector<HTMLButtonElement>('.cancel')?.focus();
  };

  private confirmDelete = async (): Promise<void> => {
    const pending = this.pendingDelete;
    if (!pending || pending.busy) return;
    this.pendingDelete = { key: pending.key, busy: true };
    try {
      await this.client.deleteKey(pending.key.id);
      const index = this.keys.findIndex((k) => k.id === pending.key.id);
      this.keys = this.keys.filter((k) => k.id !== pending.key.id);
      if (this.revealed?.id === pending.key.id) this.revealed = undefined;
      this.focusAfterDialog = (this.keys[index] ?? this.keys[index - 1])?.id;
      this.announcement = this.localize.t.term('keys.deleted', { name: pending.key.name });
      // A message about the form belongs to an earlier attempt, not to the table that changed.
      this.form = { busy: false, errors: {} };
      this.emit('perso-key-deleted', { id: pending.key.id });
      this.dialog.close();
    } catch (error) {
      // A lost session closed the dialog already.
      if (this.session.user) this.pendingDelete = { key: pending.key, busy: false, error: this.reportError(error) };
    }
  };

  private cancelDelete = (): void => {
    if (!this.pendingDelete?.busy) this.dialog.close();
  };

  private onDialogClose = async (): Promise<void> => {
    this.pendingDelete = undefined;
    await this.updateComplete;
    const id = this.focusAfterDialog;
    const target = id && [...this.renderRoot.querySelectorAll<HTMLButtonElement>('.actions button')].find((b) => b.dataset.keyId === id);
    (target || this.renderRoot.querySelector<HTMLElement>('#name, .session-ended, .signed-out-message'))?.focus();
  };

  override render() {
    const view = this.view;
    return html`<div part="base" class="base" aria-busy=${view === 'loading' ? 'true' : 'false'}>
      ${this.renderView(view)}
      <p role="status" class="visually-hidden">${this.announcement}</p>
      ${renderDeleteDialog(this.localize.t, this.pendingDelete, { onConfirm: this.confirmDelete, onCancel: this.cancelDelete, onClose: this.onDialogClose })}
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
        return html`${this.renderForm()}${this.renderTable(view === 'empty')}`;
    }
  }

  private renderSignedOut() {
    return html`<div part="signed-out" class="card signed-out">
      ${this.sessionEnded
        ? html`<p class="session-ended" role="alert" tabindex="-1">${this.localize.t.term(this.draft?.name ? 'keys.sessionEnded' : 'auth.sessionEnded')}</p>`
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

  private renderForm() {
    return renderCreateForm(this.localize.t, this.form, this.draft, {
      onSubmit: this.onCreate,
      onNameInput: () => this.revalidate('name'),
      onExpiresInput: () => this.revalidate('expiresAt'),
    });
  }

  private renderTools(hidden: number) {
    const t = this.localize.t;
    return html`<div part="table-tools" class="table-tools">
      <label class="check">
        <input type="checkbox" part="hide-expired-input" .checked=${this.hideExpired} @change=${(event: Event) => (this.hideExpired = (event.target as HTMLInputElement).checked)} />
        ${t.term('keys.hideExpired')}
      </label>
      <label class="sort">
        ${t.term('keys.sortBy')}
        <select part="sort-select" @change=${(event: Event) => (this.order = (event.target as HTMLSelectElement).value as KeyOrder)}>
          ${KEY_ORDERS.map((order) => html`<option value=${order} ?selected=${order === this.order}>${t.term(`keys.sort.${order}`)}</option>`)}
        </select>
      </label>
      <span role="status" class="hidden-count">${hidden ? t.plural('keys.hiddenCount', hidden) : ''}</span>
    </div>`;
  }

  private renderTable(empty: boolean) {
    const now = new Date();
    const many = this.keys.length > MANY_KEYS;
    const { shown, hidden } = many
      ? arrangeKeys(this.keys, { hideExpired: this.hideExpired, order: this.order, pinned: this.revealed?.id }, this.localize.t.lang, now)
      : { shown: this.keys, hidden: 0 };
    const columns = ['keys.col.name', 'keys.col.key', 'keys.col.expiresAt', 'keys.col.lastUsedAt', 'keys.col.createdAt', 'keys.col.actions'] as const;
    return html`<div part="table-container" class="card table-container" role="region" aria-labelledby="caption" tabindex="0">
      ${many ? this.renderTools(hidden) : nothing}
      <table part="table">
        <caption part="caption" id="caption" class="title"><span class="caption-text">${this.localize.t.term('keys.caption')}</span></caption>
        <thead>
          <tr>${columns.map((column) => html`<th scope="col" part="header-cell">${this.localize.t.term(column)}</th>`)}</tr>
        </thead>
        <tbody>
          ${empty
            ? html`<tr><td part="empty" class="empty" colspan=${columns.length}>${this.localize.t.term('keys.empty')}</td></tr>`
            : repeat(shown, (key) => key.id, (key) =>
                renderKeyRow(key, {
                  now,
                  t: this.localize.t,
                  secret: this.revealed?.id === key.id ? this.revealed.secret : undefined,
                  copyStatus: this.copyStatus,
                  onCopy: this.copySecret,
                  onDelete: this.openDelete,
                }),
              )}
        </tbody>
      </table>
    </div>`;
  }
}

customElements.get('perso-api-keys') || customElements.define('perso-api-keys', PersoApiKeys);

declare global {
  interface HTMLElementTagNameMap {
    'perso-api-keys': PersoApiKeys;
  }
}
