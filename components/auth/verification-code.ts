import { html, nothing, type LitElement, type TemplateResult } from 'lit';
import type { PersoErrorDetail } from '../base/events.js';
import type { Localized, Localizer } from '../base/localize.js';
import type { PersoClient } from '../client/api-client.js';
import type { User } from '../client/types.js';
import { describeFailure } from './errors.js';

/**
 * What a code submission came to: signed in; not sent (the code is malformed, said on the
 * field); or refused by the server, said on the field when the code was wrong (`onField`) and
 * for the card to say otherwise.
 */
export type CodeOutcome = { user: User } | { invalid: true } | { error: PersoErrorDetail; onField: boolean };

/** Codes are 6 digits; people paste them with spaces or a dash in the middle. */
const CODE = /^\d{6}$/;
const SEPARATORS = /[\s-]/g;

/**
 * The "Verification code" field of a sign-up attempt: its value, its error, and a `submit()`
 * that completes the attempt with the code (API.md §2) and says how it went.
 */
export class VerificationCode {
  value = '';
  /** The message under the field: a malformed code, or a wrong one (`invalid_code`). */
  error?: string;
  busy = false;

  constructor(
    private readonly host: LitElement & Localized,
    private readonly getClient: () => PersoClient,
  ) {}

  async submit(attempt: string): Promise<CodeOutcome> {
    const code = this.value.replace(SEPARATORS, '');
    this.error = !code ? this.host.localize.t.term('validation.codeRequired') : CODE.test(code) ? undefined : this.host.localize.t.term('validation.codeInvalid');
    if (this.error) {
      this.host.requestUpdate();
      void this.focus();
      return { invalid: true };
    }
    this.#setBusy(true);
    try {
      const user = await this.getClient().verifyEmail({ attempt, code });
      this.value = '';
      return { user };
    } catch (error) {
      const detail = await describeFailure(error, () => this.host.localize.t);
      if (detail.code !== 'invalid_code') return { error: detail, onField: false };
      this.error = detail.message;
      void this.focus();
      return { error: detail, onField: true };
    } finally {
      this.#setBusy(false);
    }
  }

  reset(): void {
    this.value = '';
    this.error = undefined;
  }

  async focus(): Promise<void> {
    await this.host.updateComplete;
    const input = this.host.renderRoot.querySelector<HTMLInputElement>('#code');
    input?.focus();
    input?.select();
  }

  onInput = (event: Event): void => {
    this.value = (event.target as HTMLInputElement).value;
    if (this.error && CODE.test(this.value.replace(SEPARATORS, ''))) this.error = undefined;
    this.host.requestUpdate();
  };

  #setBusy(busy: boolean): void {
    this.busy = busy;
    this.host.requestUpdate();
  }
}

/**
 * The code form: one labelled field and the "Verify" button. `.value` needs no `live()`: every
 * input event stores the value and re-renders (see `CredentialFields`).
 * Parts: `form`, `code-form`, `field`, `label`, `input`, `code-input`, `error`, `field-error`,
 * `button`, `button-primary`, `verify-button`.
 */
export function renderCodeForm(t: Localizer, code: VerificationCode, onSubmit: (event: SubmitEvent) => void): TemplateResult {
  return html`
    <form part="form code-form" novalidate aria-busy=${code.busy ? 'true' : 'false'} @submit=${onSubmit}>
      <div class="field" part="field">
        <label for="code" part="label">${t.term('field.code')}</label>
        <input
          id="code"
          name="code"
          part="input code-input"
          class="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          autocapitalize="none"
          spellcheck="false"
          required
          ?readonly=${code.busy}
          aria-invalid=${code.error ? 'true' : 'false'}
          aria-describedby=${code.error ? 'code-error' : nothing}
          .value=${code.value}
          @input=${code.onInput}
        />
        ${code.error ? html`<p id="code-error" class="field-error" role="alert" part="error field-error">${code.error}</p>` : nothing}
      </div>
      <button type="submit" class="primary block" part="button button-primary verify-button" ?disabled=${code.busy}>
        ${code.busy ? html`<span class="spinner" aria-hidden="true"></span>${t.term('auth.verifying')}` : t.term('auth.verify')}
      </button>
    </form>
  `;
}
