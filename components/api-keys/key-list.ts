import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { dialog } from '../base/dialog.styles.js';
import { addEnglish } from '../base/localize.js';
import { Screen, type ScreenHost } from '../base/screen.js';
import { keyListEn } from '../base/translations/en-key-list.js';
import { ApiError } from '../client/api-error.js';
import type { ApiKey } from '../client/types.js';
import { type CreateFormState, type FormDraft, readCreateForm, readDraft, renderCreateForm } from './create-form.js';
import { type PendingDelete, renderDeleteDialog } from './delete-dialog.js';
import { KEY_ORDERS, MANY_KEYS, type KeyOrder, arrangeKeys } from './key-order.js';
import { listStyles } from './key-list.styles.js';
import { type CopyStatus, renderKeyRow } from './key-row.js';

// Before this screen first renders; a host's own overrides (`registerTranslation('en', …)`) still win.
addEnglish(keyListEn);

/** What the list needs from `<perso-api-keys>`. */
export interface KeyListHost extends ScreenHost {
  signedIn(): boolean;
}

/**
 * The signed-in screen of `<perso-api-keys>`: the create form, the keys table with its
 * show-once secret, and the delete dialog, with their state and handlers. A chunk of its own,
 * loaded while the keys are fetched, so a page whose visitor is not signed in never loads it
 * and the kit's first download stays small. Its styles are added to the element's shadow
 * root when it first loads.
 */
export class KeyList extends Screen<KeyListHost> {
  keys: ApiKey[] = [];
  /** Said in the element's status region: a key was created or deleted. */
  announcement = '';
  /** The secret of the key created just now; in memory only, gone at the next load. */
  #revealed?: { id: string; secret: string };
  #copyStatus: CopyStatus;
  #form: CreateFormState = { busy: false, errors: {} };
  #pendingDelete?: PendingDelete;
  /** What was typed in the create form when the session ended, put back after signing in again. */
  #draft?: FormDraft;
  /** "Hide expired keys" and "Sort by", offered once there are more than `MANY_KEYS`. */
  #hideExpired = false;
  #order: KeyOrder = 'created';
  /** Where focus goes when the dialog closes: a key's Delete button, else the name field. */
  #focusAfterDialog?: string;
  #copyReset?: ReturnType<typeof setTimeout>;

  constructor(host: KeyListHost) {
    super(host, [dialog, listStyles]);
  }

  /** Freshly loaded keys: a secret shown before is gone. */
  show(keys: ApiKey[]): void {
    this.keys = keys;
    this.#revealed = undefined;
  }

  /** Whether a key name was typed when the session ended (it is kept for the next sign-in). */
  get hasDraft(): boolean {
    return Boolean(this.#draft?.name);
  }

  /** The session ended: keep what was typed, drop the form's state, close the dialog. */
  signedOut(): void {
    const form = this.#formElement;
    if (form) this.#draft = readDraft(form);
    this.#form = { busy: false, errors: {} };
    if (this.#dialog?.open) this.#dialog.close();
  }

  dispose(): void {
    clearTimeout(this.#copyReset);
  }

  get #formElement() {
    return this.host.root().querySelector('form');
  }

  get #dialog() {
    return this.host.root().querySelector('dialog');
  }

  #onCreate = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const { host } = this;
    const form = event.currentTarget as HTMLFormElement;
    if (this.#form.busy) return;
    const { input, errors } = readCreateForm(form, host.t());
    if (Object.keys(errors).length > 0) {
      this.set(() => (this.#form = { busy: false, errors }));
      return this.#focusInvalidField();
    }
    this.set(() => (this.#form = { busy: true, errors: {} }));
    try {
      const { key, secret } = await host.client().createKey(input);
      this.set(() => {
        this.keys = [key, ...this.keys.filter((k) => k.id !== key.id)];
        this.#revealed = { id: key.id, secret };
        this.#copyStatus = undefined;
        this.announcement = host.t().term('keys.created', { name: key.name });
        this.#draft = undefined;
        this.#form = { busy: false, errors: {} };
      });
      form.reset();
      const { secret: _never, ...publicKey } = key as ApiKey & { secret?: string };
      host.emit('perso-key-created', { key: publicKey });
      await host.updated();
      // The new row is the first thing to see even in a long or scrolled table.
      host.root().querySelector('tr.new')?.scrollIntoView({ block: 'nearest' });
      host.root().querySelector<HTMLButtonElement>('.copy')?.focus({ preventScroll: true });
    } catch (error) {
      // A lost session already shows the signed-out view, with the typed name kept as a draft.
      if (!host.signedIn()) return;
      const message = await host.reportError(error);
      const fields = error instanceof ApiError ? error.fields : {};
      // The server writes field messages in English; other languages get the kit's own.
      const t = this.host.t();
      const fieldErrors = { ...(fields.name && { name: t.field('name', fields.name) }), ...(fields.expiresAt && { expiresAt: t.field('expiresAt', fields.expiresAt) }) };
      const onField = Object.keys(fieldErrors).length > 0;
      this.set(() => (this.#form = { busy: false, errors: fieldErrors, error: onField ? undefined : message }));
      if (onField) void this.#focusInvalidField();
    }
  };

  /** Re-checks a field that was marked invalid as soon as the user changes it. */
  #revalidate(field: 'name' | 'expiresAt'): void {
    const form = this.#formElement;
    if (!this.#form.errors[field] || !form) return;
    const { errors } = readCreateForm(form, this.host.t());
    this.set(() => (this.#form = { ...this.#form, errors: { ...this.#form.errors, [field]: errors[field] } }));
  }

  async #focusInvalidField(): Promise<void> {
    await this.host.updated();
    this.host.root().querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus();
  }

  #copySecret = async (): Promise<void> => {
    const secret = this.#revealed?.secret;
    if (!secret) return;
    clearTimeout(this.#copyReset);
    try {
      await navigator.clipboard.writeText(secret);
      this.set(() => (this.#copyStatus = 'copied'));
      this.#copyReset = setTimeout(() => this.set(() => (this.#copyStatus = undefined)), 4000);
    } catch {
      // No clipboard access (permissions, insecure page): select the key so the user copies it.
      const code = this.host.root().querySelector('#secret');
      if (code) getSelection()?.selectAllChildren(code);
      this.set(() => (this.#copyStatus = 'manual'));
    }
  };

  #openDelete = async (key: ApiKey): Promise<void> => {
    this.set(() => (this.#pendingDelete = { key, busy: false }));
    this.#focusAfterDialog = key.id;
    await this.host.updated();
    const dialog = this.#dialog!;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLButtonElement>('.cancel')?.focus();
  };

  #confirmDelete = async (): Promise<void> => {
    const { host } = this;
    const pending = this.#pendingDelete;
    if (!pending || pending.busy) return;
    const { key } = pending;
    this.set(() => (this.#pendingDelete = { key, busy: true }));
    try {
      await host.client().deleteKey(key.id);
      const index = this.keys.findIndex((k) => k.id === key.id);
      this.set(() => {
        this.keys = this.keys.filter((k) => k.id !== key.id);
        if (this.#revealed?.id === key.id) this.#revealed = undefined;
        this.announcement = host.t().term('keys.deleted', { name: key.name });
        // A message about the form belongs to an earlier attempt, not to the table that changed.
        this.#form = { busy: false, errors: {} };
      });
      this.#focusAfterDialog = (this.keys[index] ?? this.keys[index - 1])?.id;
      host.emit('perso-key-deleted', { id: key.id });
      this.#dialog?.close();
    } catch (error) {
      // A lost session closed the dialog already.
      if (host.signedIn()) {
        const message = await host.reportError(error);
        this.set(() => (this.#pendingDelete = { key, busy: false, error: message }));
      }
    }
  };

  #cancelDelete = (): void => {
    if (!this.#pendingDelete?.busy) this.#dialog?.close();
  };

  #onDialogClose = async (): Promise<void> => {
    const renderRoot = this.host.root();
    this.set(() => (this.#pendingDelete = undefined));
    await this.host.updated();
    const id = this.#focusAfterDialog;
    const target = id && [...renderRoot.querySelectorAll<HTMLButtonElement>('.actions button')].find((b) => b.dataset.keyId === id);
    (target || renderRoot.querySelector<HTMLElement>('#name, .session-ended, .signed-out-message'))?.focus();
  };

  /** The form and the table (`empty`: no key yet). */
  render(empty: boolean) {
    return html`${renderCreateForm(this.host.t(), this.#form, this.#draft, {
      onSubmit: this.#onCreate,
      onNameInput: () => this.#revalidate('name'),
      onExpiresInput: () => this.#revalidate('expiresAt'),
    })}${this.#renderTable(empty)}`;
  }

  /** The dialog stays in the DOM while signed out, so a lost session can close it. */
  renderDialog() {
    return renderDeleteDialog(this.host.t(), this.#pendingDelete, { onConfirm: this.#confirmDelete, onCancel: this.#cancelDelete, onClose: this.#onDialogClose });
  }

  #renderTools(hidden: number) {
    const t = this.host.t();
    return html`<div part="table-tools" class="table-tools">
      <label class="check">
        <input type="checkbox" part="hide-expired-input" .checked=${this.#hideExpired} @change=${(event: Event) => this.set(() => (this.#hideExpired = (event.target as HTMLInputElement).checked))} />
        ${t.term('keys.hideExpired')}
      </label>
      <label class="sort">
        ${t.term('keys.sortBy')}
        <select part="sort-select" @change=${(event: Event) => this.set(() => (this.#order = (event.target as HTMLSelectElement).value as KeyOrder))}>
          ${KEY_ORDERS.map((order) => html`<option value=${order} ?selected=${order === this.#order}>${t.term(`keys.sort.${order}`)}</option>`)}
        </select>
      </label>
      <span role="status" class="hidden-count">${hidden ? t.plural('keys.hiddenCount', hidden) : ''}</span>
    </div>`;
  }

  #renderTable(empty: boolean) {
    const t = this.host.t();
    const now = new Date();
    const many = this.keys.length > MANY_KEYS;
    const revealed = this.#revealed;
    const { shown, hidden } = many
      ? arrangeKeys(this.keys, { hideExpired: this.#hideExpired, order: this.#order, pinned: revealed?.id }, t.lang, now)
      : { shown: this.keys, hidden: 0 };
    const columns = ['keys.col.name', 'keys.col.key', 'keys.col.expiresAt', 'keys.col.lastUsedAt', 'keys.col.createdAt', 'keys.col.actions'] as const;
    return html`<div part="table-container" class="card table-container" role="region" aria-labelledby="caption" tabindex="0">
      ${many ? this.#renderTools(hidden) : nothing}
      <table part="table">
        <caption part="caption" id="caption" class="title"><span class="caption-text">${t.term('keys.caption')}</span></caption>
        <thead>
          <tr>${columns.map((column) => html`<th scope="col" part="header-cell">${t.term(column)}</th>`)}</tr>
        </thead>
        <tbody>
          ${empty
            ? html`<tr><td part="empty" class="empty" colspan=${columns.length}>${t.term('keys.empty')}</td></tr>`
            : repeat(shown, (key) => key.id, (key) =>
                renderKeyRow(key, {
                  now,
                  t,
                  secret: revealed?.id === key.id ? revealed.secret : undefined,
                  copyStatus: this.#copyStatus,
                  onCopy: this.#copySecret,
                  onDelete: this.#openDelete,
                }),
              )}
        </tbody>
      </table>
    </div>`;
  }
}
