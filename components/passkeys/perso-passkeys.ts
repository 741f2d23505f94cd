import { html, nothing, type TemplateResult } from 'lit';
import { describeError, describeFailure, endedSession } from '../auth/errors.js';
import { controls } from '../base/controls.styles.js';
import { IDLE, LoadTask } from '../base/load-task.js';
import { PersoElement } from '../base/perso-element.js';
import { tokens } from '../base/tokens.styles.js';
import { SessionController } from '../client/session-controller.js';
import type { PasskeyList } from './passkey-list.js';
import { styles } from './perso-passkeys.styles.js';

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
  static override styles = [tokens, controls, styles];

  #session = new SessionController(this, () => this.client);
  /** The signed-in screen, from its own chunk (passkey-list.ts), loaded together with the first list. */
  #screen?: PasskeyList;
  #list = new LoadTask(this, {
    load: async ([client, userId], { signal }) => {
      if (!userId) return IDLE;
      const [list, { PasskeyList }] = await Promise.all([client.listPasskeys(signal), import('./passkey-list.js')]);
      this.#screen ??= new PasskeyList(this.screenHost((error) => this.#report(error)));
      return list;
    },
    args: () => [this.client, this.#session.user?.id] as const,
    onComplete: (list) => this.#screen!.show(list),
    onError: (error) => void this.#report(error),
  });


  get #view(): View {
    const { user, error } = this.#session;
    if (user === undefined) return error ? 'error' : 'loading';
    if (user === null) return 'signed-out';
    if (this.#list.status === 'error') return 'error';
    return this.#list.status === 'complete' ? 'list' : 'loading';
  }

  async #report(error: unknown): Promise<string> {
    const detail = await describeFailure(error, () => this.localize.t);
    if (!endedSession(error)) this.emit('perso-error', detail);
    return detail.message;
  }

  #retry = (): void => {
    if (this.#session.user === undefined) void this.#session.check();
    else void this.#list.run();
  };

  override render(): TemplateResult {
    const view = this.#view;
    return html`<div part="base" class="card" aria-busy=${view === 'loading' ? 'true' : 'false'}>
      ${this.#renderView(view)}
      <p role="status" class="visually-hidden">${this.#screen?.announcement}</p>
      ${this.#screen?.renderDialog() ?? nothing}
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
        return this.#screen!.render();
    }
  }
}

customElements.get('perso-passkeys') || customElements.define('perso-passkeys', PersoPasskeys);

declare global {
  interface HTMLElementTagNameMap {
    'perso-passkeys': PersoPasskeys;
  }
}
