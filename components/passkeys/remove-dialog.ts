import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Localizer } from '../base/localize.js';
import type { Passkey } from '../client/types.js';

export interface PendingRemove {
  passkey: Passkey;
  busy: boolean;
  error?: string;
}

/** The confirmation before a passkey is removed: a native modal dialog (focus trapped, Escape cancels). */
export function renderRemoveDialog(
  t: Localizer,
  pending: PendingRemove | undefined,
  handlers: { onConfirm: () => void; onCancel: () => void; onClose: () => void },
) {
  return html`<dialog
    part="dialog"
    class="dialog"
    aria-labelledby=${ifDefined(pending ? 'remove-title' : undefined)}
    aria-describedby=${ifDefined(pending ? 'remove-body' : undefined)}
    @close=${handlers.onClose}
    @cancel=${(event: Event) => pending?.busy && event.preventDefault()}
  >
    ${pending
      ? html`<h2 id="remove-title" part="dialog-title" class="title">${t.term('passkeys.removeTitle', { name: pending.passkey.name })}</h2>
          <p id="remove-body" class="dialog-body">${t.term('passkeys.removeBody')}</p>
          ${pending.error ? html`<p role="alert" part="error" class="alert">${pending.error}</p>` : nothing}
          <div class="dialog-actions">
            <button type="button" part="button cancel-button" class="cancel" ?disabled=${pending.busy} @click=${handlers.onCancel}>${t.term('passkeys.cancel')}</button>
            <button type="button" part="button confirm-button" class="danger confirm" ?disabled=${pending.busy} aria-busy=${pending.busy ? 'true' : 'false'} @click=${handlers.onConfirm}>
              ${t.term('passkeys.remove')}
            </button>
          </div>`
      : nothing}
  </dialog>`;
}
