import { html, nothing, type LitElement, type TemplateResult } from 'lit';
import type { Localized } from '../base/localize.js';
import type { MessageKey } from '../base/translations/en.js';
import { currentPasswordProblem, emailProblem, newPasswordProblem } from './validation.js';

export type CredentialField = 'email' | 'password';
const FIELDS: CredentialField[] = ['email', 'password'];

/**
 * The email and password fields shared by sign-up and sign-in: values, inline validation
 * (on blur, then live while a problem is shown), server field errors and the show-password toggle.
 * Parts (rendered by `render()`): `field`, `label`, `input`, `hint`, `error`, `field-error`,
 * `button`, `password-toggle`.
 *
 * The inputs' `.value` is bound without Lit's `live()`: every input event stores the value and
 * re-renders, so the last value Lit set is always what the field holds, and a reset (`''`
 * after a wrong password) differs from it and is applied.
 */
export class CredentialFields {
  email = '';
  password = '';
  showPassword = false;
  errors: Partial<Record<CredentialField, string>> = {};

  /** The email as it will be sent: what was typed, without surrounding spaces. */
  get address(): string {
    return this.email.trim();
  }

  constructor(
    private readonly host: LitElement & Localized,
    private readonly purpose: 'sign-up' | 'sign-in',
  ) {}

  /** Checks the fields (both unless told), shows what is wrong and focuses the first bad one. True when valid. */
  validate(fields: CredentialField[] = FIELDS): boolean {
    this.errors = {};
    for (const field of fields) this.#check(field);
    this.host.requestUpdate();
    const firstBad = FIELDS.find((field) => this.errors[field]);
    if (firstBad) void this.focus(firstBad);
    return !firstBad;
  }

  /**
   * Shows a 422's field messages next to their fields; returns those that belong to no field
   * here (e.g. `organization`) so the caller can show them elsewhere.
   */
  showServerErrors(fields: Record<string, string>): string[] {
    const unplaced: string[] = [];
    for (const [name, message] of Object.entries(fields)) {
      if ((FIELDS as string[]).includes(name)) this.errors[name as CredentialField] = message;
      else unplaced.push(message);
    }
    this.host.requestUpdate();
    const firstBad = FIELDS.find((field) => this.errors[field]);
    if (firstBad) void this.focus(firstBad);
    return unplaced;
  }

  async focus(field: CredentialField): Promise<void> {
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLInputElement>(`#${field}`)?.focus();
  }

  /** `webauthn`: the email field's autofill also offers passkeys (sign-in). */
  render(options: { busy: boolean; withPassword?: boolean; webauthn?: boolean }): TemplateResult {
    return html`${this.#renderEmail(options.busy, options.webauthn === true)}${options.withPassword === false ? nothing : this.#renderPassword(options.busy)}`;
  }

  #problem(field: CredentialField): MessageKey | undefined {
    if (field === 'email') return emailProblem(this.address);
    return this.purpose === 'sign-up' ? newPasswordProblem(this.password) : currentPasswordProblem(this.password);
  }

  #check(field: CredentialField): void {
    const problem = this.#problem(field);
    if (problem) this.errors[field] = this.host.localize.t.term(problem);
    else delete this.errors[field];
  }

  #onInput(field: CredentialField, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    if (field === 'email') this.email = value;
    else this.password = value;
    if (this.errors[field]) this.#check(field);
    this.host.requestUpdate();
  }

  #onBlur(field: CredentialField): void {
    // Only judge a field the user has typed in; an empty field left by tabbing through is not an error yet.
    if (!(field === 'email' ? this.address : this.password)) return;
    const before = this.errors[field];
    this.#check(field);
    // Blur also fires when a step change removes a focused input; re-render only on news.
    if (this.errors[field] !== before) this.host.requestUpdate();
  }

  #describedBy(field: CredentialField, hint?: string): string | typeof nothing {
    const ids = [hint, this.errors[field] ? `${field}-error` : undefined].filter(Boolean);
    return ids.length ? ids.join(' ') : nothing;
  }

  #renderError(field: CredentialField): TemplateResult | typeof nothing {
    const error = this.errors[field];
    return error ? html`<p id="${field}-error" class="field-error" role="alert" part="error field-error">${error}</p>` : nothing;
  }

  #renderEmail(busy: boolean, webauthn: boolean): TemplateResult {
    return html`
      <div class="field" part="field">
        <label for="email" part="label">${this.host.localize.t.term('field.email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          part="input"
          autocomplete=${webauthn ? 'username webauthn' : 'username'}
          autocapitalize="none"
          spellcheck="false"
          required
          ?readonly=${busy}
          aria-invalid=${this.errors.email ? 'true' : 'false'}
          aria-describedby=${this.#describedBy('email')}
          .value=${this.email}
          @input=${(event: Event) => this.#onInput('email', event)}
          @blur=${() => this.#onBlur('email')}
        />
        ${this.#renderError('email')}
      </div>
    `;
  }

  #renderPassword(busy: boolean): TemplateResult {
    const signingUp = this.purpose === 'sign-up';
    return html`
      <div class="field" part="field">
        <label for="password" part="label">${this.host.localize.t.term('field.password')}</label>
        <div class="password">
          <input
            id="password"
            name="password"
            type=${this.showPassword ? 'text' : 'password'}
            part="input"
            autocomplete=${signingUp ? 'new-password' : 'current-password'}
            required
            ?readonly=${busy}
            aria-invalid=${this.errors.password ? 'true' : 'false'}
            aria-describedby=${this.#describedBy('password', signingUp ? 'password-hint' : undefined)}
            .value=${this.password}
            @input=${(event: Event) => this.#onInput('password', event)}
            @blur=${() => this.#onBlur('password')}
          />
          <button
            type="button"
            class="toggle"
            part="button password-toggle"
            aria-label=${this.host.localize.t.term('auth.showPassword')}
            aria-pressed=${this.showPassword ? 'true' : 'false'}
            aria-controls="password"
            @click=${this.#toggle}
          >
            ${this.showPassword ? eyeOffIcon : eyeIcon}
          </button>
        </div>
        ${signingUp ? html`<p id="password-hint" class="hint" part="hint">${this.host.localize.t.term('signup.passwordHint')}</p>` : nothing}
        ${this.#renderError('password')}
      </div>
    `;
  }

  #toggle = (): void => {
    this.showPassword = !this.showPassword;
    this.host.requestUpdate();
  };
}

const eyeIcon = html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
  <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="2" />
</svg>`;

const eyeOffIcon = html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path d="M10.6 5.1A10.8 10.8 0 0 1 12 5c6.4 0 10 7 10 7a17 17 0 0 1-2.9 3.8M6.6 6.6A17.4 17.4 0 0 0 2 12s3.6 7 10 7a9.7 9.7 0 0 0 5.4-1.6" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
  <path d="M9.9 9.9a3 3 0 0 0 4.2 4.2M3 3l18 18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
</svg>`;
