import { html, nothing, type LitElement, type TemplateResult } from 'lit';
import type { PersoErrorDetail } from '../base/events.js';
import type { Localized } from '../base/localize.js';
import type { MessageKey } from '../base/translations/en.js';
import { ApiError } from '../client/api-error.js';
import type { OrganizationConfig, SocialProvider } from '../client/types.js';
import { CooldownController } from './cooldown.js';
import { CredentialFields } from './credentials.js';
import { describeError } from './errors.js';
import { restoreFocus } from './focus.js';
import { renderAlert, renderAlternatives, renderDivider, renderHeader } from './views.js';

/** How long to hold the submit button after a 429 that came without Retry-After. */
const DEFAULT_RETRY_SECONDS = 60;

/** The card's own words, as keys: looked up at render time so `setMessages()` still applies. */
export interface MethodLabels {
  heading: MessageKey;
  passkey: MessageKey;
  submit: MessageKey;
  busy: MessageKey;
}

export interface AuthMethodsOptions<T> {
  purpose: 'sign-up' | 'sign-in';
  labels: MethodLabels;
  /**
   * Clears what the last attempt left on screen; runs before the fields are checked, and when
   * a rate limit's countdown runs out.
   */
  reset(): void;
  send(email: string, password: string): Promise<T>;
  /** The server accepted; the password is already cleared. */
  sent(email: string, result: T): void;
  failed(error: unknown, email: string): void;
  /** Leaves the page for a social provider's sign-in. */
  continueWith(provider: SocialProvider): void;
}

/** A failed request, split between the fields and the alert. */
export interface PlacedError {
  detail: PersoErrorDetail;
  /** What the form-wide alert shows; undefined when every message found a field. */
  alert?: string;
  /** The error named fields: their messages are shown, and focus is on the first bad one. */
  onFields: boolean;
}

/**
 * The first step of a sign-up or sign-in card: the methods the organization enables (a
 * passkey, social providers, the email and password form) and the form's submission.
 */
export class AuthMethods<T> {
  busy = false;
  readonly fields: CredentialFields;
  /** A 429's Retry-After: the submit button stays disabled and the alert counts down until it ends. */
  readonly #rateLimit: CooldownController;

  constructor(
    private readonly host: LitElement & Localized,
    private readonly options: AuthMethodsOptions<T>,
  ) {
    this.fields = new CredentialFields(host, options.purpose);
    this.#rateLimit = new CooldownController(host, {
      ended: () => {
        options.reset();
        void restoreFocus(host, ['button[type=submit]']);
      },
    });
  }

  /**
   * Shows a 422's field errors next to their fields; everything else belongs in the alert. A
   * rate limit also starts the countdown.
   */
  place(error: unknown): PlacedError {
    const detail = describeError(error, this.host.localize.t);
    if (error instanceof ApiError && error.code === 'rate_limited') this.#rateLimit.start(error.retryAfter ?? DEFAULT_RETRY_SECONDS);
    if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
      const unplaced = this.fields.showServerErrors(error.fields);
      return { detail, alert: unplaced.length > 0 ? unplaced.join(' ') : undefined, onFields: true };
    }
    return { detail, alert: detail.message, onFields: false };
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.busy || this.#rateLimit.active) return;
    this.options.reset();
    if (!this.fields.validate()) return;
    const email = this.fields.address;
    this.#setBusy(true);
    try {
      const result = await this.options.send(email, this.fields.password);
      this.fields.password = '';
      this.options.sent(email, result);
    } catch (error) {
      this.options.failed(error, email);
    } finally {
      this.#setBusy(false);
    }
  };

  #setBusy(busy: boolean): void {
    this.busy = busy;
    this.host.requestUpdate();
  }

  #continueWith = (provider: SocialProvider): void => this.options.continueWith(provider);

  // The WebAuthn ceremony arrives with the server's passkey routes (API.md §3); until then no
  // organization config enables passkeys, so this button is never shown.
  #startPasskey = (): void => {};

  /** `formFooter` goes under the submit button, e.g. "Forgot password?". */
  render(config: OrganizationConfig, alert?: string, formFooter: TemplateResult | typeof nothing = nothing): TemplateResult {
    const { labels } = this.options;
    const { password, passkey, social } = config.methods;
    const t = this.host.localize.t;
    const alternatives = renderAlternatives(t, {
      passkey: passkey ? { label: this.host.localize.t.term(labels.passkey), onClick: this.#startPasskey } : undefined,
      social,
      disabled: this.busy,
      onSocial: this.#continueWith,
    });
    const seconds = this.#rateLimit.remaining;
    const shownAlert = seconds > 0 ? t.error('rate_limited', '', { time: t.wait(seconds) }) : alert;
    return html`
      ${renderHeader(this.host.localize.t.term(labels.heading), this.host.localize.t.term('auth.subtitle', { organization: config.organization.name }))}
      ${shownAlert ? renderAlert(shownAlert, { countdown: seconds > 0 }) : nothing}
      ${alternatives}
      ${alternatives !== nothing && password ? renderDivider(t) : nothing}
      ${password ? this.#renderPasswordForm(formFooter) : nothing}
      ${!password && alternatives === nothing ? html`<p class="lead">${this.host.localize.t.term('auth.noMethods')}</p>` : nothing}
    `;
  }

  #renderPasswordForm(footer: TemplateResult | typeof nothing): TemplateResult {
    const { labels } = this.options;
    return html`
      <form part="form" novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.#submit}>
        ${this.fields.render({ busy: this.busy })}
        <button type="submit" class="primary block" part="button button-primary submit-button" ?disabled=${this.busy || this.#rateLimit.active}>
          ${this.busy ? html`<span class="spinner" aria-hidden="true"></span>${this.host.localize.t.term(labels.busy)}` : this.host.localize.t.term(labels.submit)}
        </button>
        ${footer}
      </form>
    `;
  }
}
