import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Localizer } from '../base/localize.js';
import type { ApiKey } from '../client/types.js';

export interface PendingDelete {
  key: ApiKey;
  busy: boolean;
  error?: string;
}

export interface DeleteDialogHandlers {
  onConfirm: () => void;
  onCancel: () => void;
  /** The dialog closed, by a button or by Escape. */
  onClose: () => void;
}

/**
 * The confirmation before a key is revoked: a native modal `<dialog>`, so focus is trapped
 * and Escape cancels. It stays in the DOM; the element opens it with `showModal()`.
 */
export function renderDeleteDialog(t: Localizer, pending: PendingDelete | undefined, handlers: DeleteDialogHandlers) {
  // The buttons are aria-disabled, not disabled, while busy: a disabled button would drop focus out of the dialog.
  return html`<dialog
    part="dialog"
    class="dialog"
    aria-labelledby=${ifDefined(pending ? 'delete-title' : undefined)}
    aria-describedby=${ifDefined(pending ? 'delete-body' : undefined)}
    @close=${handlers.onClose}
    @cancel=${(event: Event) => pending?.busy && event.preventDefault()}
  >
    ${pending
      ? html`<h2 id="delete-title" part="dialog-title" class="title">${t.term('keys.deleteTitle', { name: pending.key.name })}</h2>
          <p id="delete-body" class="dialog-body">${t.term('keys.deleteBody')}</p>
          ${pending.error ? html`<p role="alert" part="error" class="alert">${pending.error}</p>` : nothing}
          <div class="dialog-actions">
            <button type="button" part="button cancel-button" class="cancel" aria-disabled=${pending.busy ? 'true' : 'false'} @click=${handlers.onCancel}>${t.term('keys.cancel')}</button>
            <button type="button" part="button confirm-button" class="danger confirm" aria-disabled=${pending.busy ? 'true' : 'false'} aria-busy=${pending.busy ? 'true' : 'false'} @click=${handlers.onConfirm}>
              ${t.term('keys.delete')}
            </button>
          </div>`
      : nothing}
  </dialog>`;
}
