import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Localizer } from '../base/localize.js';
import { endOfLocalDay, tomorrow } from './format.js';

export const NAME_MAX_LENGTH = 100;

export interface CreateFormState {
  busy: boolean;
  /** Messages per field (`name`, `expiresAt`), from the client checks or the server's 422. */
  errors: Partial<Record<'name' | 'expiresAt', string>>;
  /** A failure that belongs to no field. */
  error?: string;
}

/** The form's raw values, kept while the user signs in again after the session ended. */
export interface FormDraft {
  name: string;
  expiresAt: string;
}

export function readDraft(form: HTMLFormElement): FormDraft {
  const data = new FormData(form);
  return { name: String(data.get('name') ?? ''), expiresAt: String(data.get('expiresAt') ?? '') };
}

export interface CreateKeyInput {
  name: string;
  expiresAt?: string;
}

/**
 * Reads and checks the form the way the server will (name 1–100 characters after trim, expiry
 * after today), so most mistakes are shown without a round trip.
 */
export function readCreateForm(form: HTMLFormElement, t: Localizer, now: Date = new Date()): { input: CreateKeyInput; errors: CreateFormState['errors'] } {
  const data = new FormData(form);
  const name = String(data.get('name') ?? '').trim();
  const date = String(data.get('expiresAt') ?? '');
  const errors: CreateFormState['errors'] = {};
  if (!name) errors.name = t.term('keys.nameRequired');
  else if (name.length > NAME_MAX_LENGTH) errors.name = t.term('keys.nameTooLong');
  const expiresAt = date ? endOfLocalDay(date) : undefined;
  if (date && (!expiresAt || date < tomorrow(now))) errors.expiresAt = t.term('keys.expiresInvalid');
  return { input: expiresAt ? { name, expiresAt } : { name }, errors };
}

export interface CreateFormHandlers {
  onSubmit: (event: SubmitEvent) => void;
  onNameInput: () => void;
  onExpiresInput: () => void;
}

/**
 * The "Create New API Key" form: name, optional expiry date, and the create button. `draft`
 * fills a form that is shown again after a lost session; the inputs are otherwise the user's.
 */
export function renderCreateForm(t: Localizer, state: CreateFormState, draft: FormDraft | undefined, handlers: CreateFormHandlers, now: Date = new Date()) {
  const { errors } = state;
  // "Create" is aria-disabled, not disabled, while busy: a disabled button would drop focus on <body>.
  return html`<form part="form" class="card create" aria-labelledby="create-title" novalidate @submit=${handlers.onSubmit}>
    <h2 id="create-title" part="form-title" class="title">${t.term('keys.formTitle')}</h2>
    <div class="create-fields">
      <div class="field name-field">
        <label for="name">${t.term('keys.name')}</label>
        <input
          id="name"
          name="name"
          part="input name-input"
          autocomplete="off"
          required
          .value=${draft?.name ?? ''}
          aria-invalid=${errors.name ? 'true' : 'false'}
          aria-describedby=${ifDefined(errors.name ? 'name-error' : undefined)}
          @input=${handlers.onNameInput}
        />
        ${errors.name ? html`<p id="name-error" part="field-error" class="field-error">${errors.name}</p>` : nothing}
      </div>
      <div class="field expires-field">
        <label for="expires">${t.term('keys.expiresAt')}</label>
        <input
          id="expires"
          name="expiresAt"
          type="date"
          part="input expires-input"
          min=${tomorrow(now)}
          .value=${draft?.expiresAt ?? ''}
          aria-invalid=${errors.expiresAt ? 'true' : 'false'}
          aria-describedby=${errors.expiresAt ? 'expires-error expires-hint' : 'expires-hint'}
          @input=${handlers.onExpiresInput}
        />
        ${errors.expiresAt ? html`<p id="expires-error" part="field-error" class="field-error">${errors.expiresAt}</p>` : nothing}
        <p id="expires-hint" class="hint">${t.term('keys.expiresHint')}</p>
      </div>
      <button type="submit" part="button create-button" class="primary create-button" aria-disabled=${state.busy ? 'true' : 'false'} aria-busy=${state.busy ? 'true' : 'false'}>
        ${t.term('keys.create')}
      </button>
    </div>
    ${state.error ? html`<p role="alert" part="error" class="alert">${state.error}</p>` : nothing}
  </form>`;
}
