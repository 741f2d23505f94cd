import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { createPasskey, signalRemovedPasskey } from '../auth/passkey.js';
import { isAborted, passkeysSupported } from '../auth/passkey-support.js';
import { dialog } from '../base/dialog.styles.js';
import type { Localizer } from '../base/localize.js';
import { addEnglish } from '../base/localize.js';
import { Screen, type ScreenHost } from '../base/screen.js';
import { passkeyListEn } from '../base/translations/en-passkey-list.js';
import type { Passkey, PasskeyList as Listed } from '../client/types.js';
import { listStyles } from './passkey-list.styles.js';
import { type PendingRemove, renderRemoveDialog } from './remove-dialog.js';

// Before this screen first renders; a host's own overrides (`registerTranslation('en', …)`) still win.
addEnglish(passkeyListEn);

/**
 * The signed-in screen of `<perso-passkeys>`: the list, "Add a passkey" and the remove dialog,
 * with their state and handlers. A chunk of its own, loaded while the passkeys are fetched, so
 * a page whose visitor is not signed in never loads it. Its styles join the element's shadow
 * root when it first loads.
 */
export class PasskeyList extends Screen {
  passkeys: Passkey[] = [];
  /** Said in the element's status region: a passkey was added or removed. */
  announcement = '';
  #rpId = '';
  #adding = false;
  #alert?: string;
  #pendingRemove?: PendingRemove;
  /** Where focus goes when the dialog closes: the next passkey's Remove button, else "Add a passkey". */
  #focusAfterDialog?: string;

  constructor(host: ScreenHost) {
    super(host, [dialog, listStyles]);
  }

  show(list: Listed): void {
    this.passkeys = list.passkeys;
    this.#rpId = list.rpId;
  }

  get #dialog() {
    return this.host.root().querySelector('dialog');
  }

  #add = async (): Promise<void> => {
    const { host } = this;
    if (this.#adding) return;
    this.set(() => {
      this.#adding = true;
      this.#alert = undefined;
    });
    try {
      const response = await createPasskey(await host.client().addPasskeyOptions());
      const passkey = await host.client().addPasskey(response);
      this.set(() => {
        this.passkeys = [...this.passkeys, passkey];
        this.announcement = host.t().term('passkeys.added', { name: passkey.name });
      });
      host.emit('perso-passkey-added', { passkey });
    } catch (error) {
      if (!isAborted(error)) this.#alert = await host.reportError(error);
    } finally {
      this.set(() => (this.#adding = false));
    }
  };

  #openRemove = async (passkey: Passkey): Promise<void> => {
    this.set(() => (this.#pendingRemove = { passkey, busy: false }));
    this.#focusAfterDialog = passkey.id;
    await this.host.updated();
    const dialog = this.#dialog!;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLButtonElement>('.cancel')?.focus();
  };

  #confirmRemove = async (): Promise<void> => {
    const { host } = this;
    const pending = this.#pendingRemove;
    if (!pending || pending.busy) return;
    const { passkey } = pending;
    this.set(() => (this.#pendingRemove = { passkey, busy: true }));
    try {
      await host.client().deletePasskey(passkey.id);
      void signalRemovedPasskey(this.#rpId, passkey.credentialId);
      const index = this.passkeys.findIndex((p) => p.id === passkey.id);
      this.set(() => {
        this.passkeys = this.passkeys.filter((p) => p.id !== passkey.id);
        this.announcement = host.t().term('passkeys.removed', { name: passkey.name });
      });
      this.#focusAfterDialog = (this.passkeys[index] ?? this.passkeys[index - 1])?.id;
      host.emit('perso-passkey-removed', { id: passkey.id });
      this.#dialog?.close();
    } catch (error) {
      const message = await host.reportError(error);
      this.set(() => (this.#pendingRemove = { passkey, busy: false, error: message }));
    }
  };

  #onDialogClose = async (): Promise<void> => {
    const root = this.host.root();
    this.set(() => (this.#pendingRemove = undefined));
    await this.host.updated();
    const id = this.#focusAfterDialog;
    const target = id && [...root.querySelectorAll<HTMLButtonElement>('.remove')].find((b) => b.dataset.passkeyId === id);
    (target || root.querySelector<HTMLButtonElement>('.add'))?.focus();
  };

  /** The dialog stays in the DOM while signed out, so it can close. */
  renderDialog(): TemplateResult {
    return renderRemoveDialog(this.host.t(), this.#pendingRemove, { onConfirm: this.#confirmRemove, onCancel: () => this.#dialog?.close(), onClose: this.#onDialogClose });
  }

  render(): TemplateResult {
    const t = this.host.t();
    const supported = passkeysSupported();
    const adding = this.#adding;
    return html`
      <div class="header">
        <h2 class="title" part="heading">${t.term('passkeys.heading')}</h2>
        <button type="button" class="primary add" part="button add-button" ?disabled=${adding || !supported} aria-busy=${adding ? 'true' : 'false'} @click=${this.#add}>
          ${adding ? html`<span class="spinner" aria-hidden="true"></span>${t.term('passkeys.adding')}` : t.term('passkeys.add')}
        </button>
      </div>
      <p class="lead">${supported ? t.term('passkeys.lead') : t.term('passkeys.unsupported')}</p>
      ${this.#alert ? html`<p class="alert" role="alert" part="error">${this.#alert}</p>` : nothing}
      ${this.passkeys.length === 0
        ? html`<p class="empty" part="empty">${t.term('passkeys.empty')}</p>`
        : html`<ul class="list" part="list">${repeat(this.passkeys, (p) => p.id, (p) => this.#renderItem(t, p))}</ul>`}
    `;
  }

  #renderItem(t: Localizer, passkey: Passkey): TemplateResult {
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
