import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { describeError, endedSession } from '../auth/errors.js';
import { createPasskey, isAborted, passkeysSupported, signalRemovedPasskey } from '../auth/passkey.js';
import { controls } from '../base/controls.styles.js';
import { dialog } from '../base/dialog.styles.js';
import { PersoElement } from '../base/perso-element.js';
import { tokens } from '../base/tokens.styles.js';
import { SessionController } from '../client/session-controller.js';
import type { Passkey } from '../client/types.js';
import { styles } from './perso-passkeys.styles.js';
import { type PendingRemove, renderRemoveDialog } from './remove-dialog.js';

type View = 'signed-out' | 'loading' | 'error' | 'list';

/**
 * The signed-in user's passkeys: each with its name, when it was created and last used; "Add a
 * passkey" registers another on this device, and "Remove" (after a confirmation) deletes one and
 * tells the browser, where it can be told, to stop offering it. The server refuses to remove the
 * last way to sign in of an account without a password; the element says so.
 *
 * @summary Passkey list with add and remove.
 *
 * @event perso-passkey-added - A passkey was registered. `detail: { passkey }`.
 * @event perso-passkey-removed - A passkey was removed. `detail: { id }`.
 * @event perso-error - A request or a ceremony failed. `detail: { code, message }`.
 *
 * @slot signed-out - Shown when nobody is signed in, e.g. a `<perso-signin>`.
 *
 * @csspart base - The card around every state.
 * @csspart heading - "Passkeys".
 * @csspart list - The list of passkeys.
 * @csspart item - One passkey.
 * @csspart name - A passkey's name.
 * @csspart meta - Its created and last-used dates.
 * @csspart badge - "Synced", for passkeys backed up by a password manager.
 * @csspart button - Every button (also `add-button`, `remove-button`, `confirm-button`, `cancel-button`, `retry-button`).
 * @csspart error - A failure message.
 * @csspart empty - "No passkeys yet".
 * @csspart loading - The loading indicator.
 * @csspart dialog - The remove confirmation dialog.
 * @csspart dialog-title - The dialog's heading.
 * @csspart signed-out - The signed-out message and its slot.
 *
 * @cssproperty --perso-color-background - Background.
 * @cssproperty --perso-color-surface - Secondary buttons.
 * @cssproperty --perso-color-text - Text.
 * @cssproperty --perso-color-muted - Secondary text.
 * @cssproperty --perso-color-border - Borders.
 * @cssproperty --perso-color-primary - Primary button and icons.
 * @cssproperty --perso-color-on-primary - Text on the primary colour.
 * @cssproperty --perso-color-danger - Errors and remove.
 * @cssproperty --perso-color-focus - Focus ring.
 * @cssproperty --perso-radius - Corner radius.
 * @cssproperty --perso-spacing - Base spacing.
 * @cssproperty --perso-font-family - Font.
 * @cssproperty --perso-font-size - Base font size.
 */
export class PersoPasskeys extends PersoElement {
  static override styles = [tokens, controls, dialog, styles];

  #session = new SessionController(this, () => this.client);
  #list = new Task(this, {
    task: async ([client, userId], { signal }) => (userId ? client.listPasskeys(signal) : initialState),
    args: () => [this.client, this.#session.user?.id] as const,
    onComplete: (list) => {
      this.passkeys = list.passkeys;
      this.rpId = list.rpId;
    },
    onError: (error) => this.#report(error),
  });

  @query('dialog') private dialog!: HTMLDialogElement;

  @state() private passkeys: Passkey[] = [];
  @state() private adding = false;
  @state() private alert?: string;
  @state() private pendingRemove?: PendingRemove;
  @state() private announcement = '';
  private rpId = '';
  /** Where focus goes when the dialog closes: the next passkey's Remove button, else "Add a passkey". */
  private focusAfterDialog?: string;

  get #view(): View {
    const { user, error } = this.#session;
    if (user === undefined) return error ? 'error' : 'loading';
    if (user === null) return 'signed-out';
    if (this.#list.status === TaskStatus.ERROR) return 'error';
    return this.#list.status === TaskStatus.COMPLETE ? 'list' : 'loading';
  }

  #report(error: unknown): string {
    const detail = describeError(error, this.localize.t);
    if (!endedSession(error)) this.emit('perso-error', detail);
    return detail.message;
  }

  #add = async (): Promise<void> => {
    if (this.adding) return;
    this.adding = true;
    this.alert = undefined;
    try {
      const response = await createPasskey(await this.client.addPasskeyOptions());
      const passkey = await this.client.addPasskey(response);
      this.passkeys = [...this.passkeys, passkey];
      this.announcement = this.localize.t.term('passkeys.added', { name: passkey.name });
      this.emit('perso-passkey-added', { passkey });
    } catch (error) {
      if (!isAborted(error)) this.alert = this.#report(error);
    } finally {
      this.adding = false;
    }
  };

  #openRemove = async (passkey: Passkey): Promise<void> => {
    this.pendingRemove = { passkey, busy: false };
    this.focusAfterDialog = passkey.id;
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.querySelector<HTMLButtonElement>('.cancel')?.focus();
  };

  #confirmRemove = async (): Promise<void> => {
    const pending = this.pendingRemove;
    if (!pending || pending.busy) return;
    const { passkey } = pending;
    this.pendingRemove = { passkey, busy: true };
    try {
      await this.client.deletePasskey(passkey.id);
      void signalRemovedPasskey(this.rpId, passkey.credentialId);
      const index = this.passkeys.findIndex((p) => p.id === passkey.id);
      this.passkeys = this.passkeys.filter((p) => p.id !== passkey.id);
      this.focusAfterDialog = (this.passkeys[index] ?? this.passkeys[index - 1])?.id;
      this.announcement = this.localize.t.term('passkeys.removed', { name: passkey.name });
      this.emit('perso-passkey-removed', { id: passkey.id });
      this.dialog.close();
    } catch (error) {
      this.pendingRemove = { passkey, busy: false, error: this.#report(error) };
    }
  };

  #onDialogClose = async (): Promise<void> => {
    this.pendingRemove = undefined;
    await this.updateComplete;
    const id = this.focusAfterDialog;
    const target = id && [...this.renderRoot.querySelectorAll<HTMLButtonElement>('.remove')].find((b) => b.dataset.passkeyId === id);
    (target || this.renderRoot.querySelector<HTMLButtonElement>('.add'))?.focus();
  };

  #retry = (): void => {
    if (this.#session.user === undefined) void this.#session.check();
    else void this.#list.run();
  };

  override render(): TemplateResult {
    const view = this.#view;
    return html`<div part="base" class="card" aria-busy=${view === 'loading' ? 'true' : 'false'}>
      ${this.#renderView(view)}
      <p role="status" class="visually-hidden">${this.announcement}</p>
      ${renderRemoveDialog(this.localize.t, this.pendingRemove, { onConfirm: this.#confirmRemove, onCancel: () => this.dialog.close(), onClose: this.#onDialogClose })}
    </div>`;
  }

  #renderView(view: View): TemplateResult {
    const t = this.localize.t;
    switch (view) {
      case 'signed-out':
        return html`<div part="signed-out"><p class="lead">${t.term('passkeys.signedOut')}</p><slot name="signed-out"></slot></div>`;
      case 'loading':
        return html`<p part="loading" class="lead" role="status"><span class="spinner" aria-hidden="true"></span>${t.term('passkeys.loading')}</p>`;
      case 'error':
        return html`<div part="error" role="alert">
          <p>${describeError(this.#session.user === undefined ? this.#session.error : this.#list.error, t).message}</p>
          <button type="button" part="button retry-button" @click=${this.#retry}>${t.term('passkeys.retry')}</button>
        </div>`;
      case 'list':
        return this.#renderList();
    }
  }

  #renderList(): TemplateResult {
    const t = this.localize.t;
    const supported = passkeysSupported();
    return html`
      <div class="header">
        <h2 class="title" part="heading">${t.term('passkeys.heading')}</h2>
        <button type="button" class="primary add" part="button add-button" ?disabled=${this.adding || !supported} aria-busy=${this.adding ? 'true' : 'false'} @click=${this.#add}>
          ${this.adding ? html`<span class="spinner" aria-hidden="true"></span>${t.term('passkeys.adding')}` : t.term('passkeys.add')}
        </button>
      </div>
      <p class="lead">${supported ? t.term('passkeys.lead') : t.term('passkeys.unsupported')}</p>
      ${this.alert ? html`<p class="alert" role="alert" part="error">${this.alert}</p>` : nothing}
      ${this.passkeys.length === 0
        ? html`<p class="empty" part="empty">${t.term('passkeys.empty')}</p>`
        : html`<ul class="list" part="list">${repeat(this.passkeys, (p) => p.id, (p) => this.#renderItem(p))}</ul>`}
    `;
  }

  #renderItem(passkey: Passkey): TemplateResult {
    const t = this.localize.t;
    const lastUsed = passkey.lastUsedAt ? t.term('passkeys.lastUsed', { date: t.dateTime(passkey.lastUsedAt) }) : t.term('passkeys.neverUsed');
    return html`<li class="item" part="item">
      ${keyIcon}
      <div class="details">
        <p class="name" part="name">${passkey.name}${passkey.backedUp ? html`<span class="badge" part="badge">${t.term('passkeys.synced')}</span>` : nothing}</p>
        <p class="meta" part="meta">${t.term('passkeys.created', { date: t.date(passkey.createdAt) })} · ${lastUsed}</p>
      </div>
      <button
        type="button"
        class="remove"
        part="button remove-button"
        data-passkey-id=${passkey.id}
        aria-label=${t.term('passkeys.removeLabel', { name: passkey.name })}
        @click=${() => this.#openRemove(passkey)}
      >
        ${t.term('passkeys.remove')}
      </button>
    </li>`;
  }
}

const keyIcon = html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <g fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <circle cx="15.5" cy="8.5" r="5.5" />
    <path d="M11.6 12.4 3 21m3-3 2 2m1-5 2 2" />
  </g>
</svg>`;

customElements.get('perso-passkeys') || customElements.define('perso-passkeys', PersoPasskeys);

declare global {
  interface HTMLElementTagNameMap {
    'perso-passkeys': PersoPasskeys;
  }
}
