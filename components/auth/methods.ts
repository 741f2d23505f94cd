import { html, nothing, type LitElement, type ReactiveController, type TemplateResult } from 'lit';
import type { PersoErrorDetail } from '../base/events.js';
import type { Localized } from '../base/localize.js';
import type { MessageKey } from '../base/translations/en.js';
import { ApiError } from '../client/api-error.js';
import type { OrganizationConfig, SocialProvider, User } from '../client/types.js';
import { CooldownController } from './cooldown.js';
import { CredentialFields } from './credentials.js';
import { passkeysSupported } from './passkey.js';
import { describeError } from './errors.js';
import { restoreFocus } from './focus.js';
import { leaveForProvider, type SocialReturn, takeSocialReturn } from './social-return.js';
import { renderCodeForm, type VerificationCode } from './verification-code.js';
import { renderAlert, renderAlternatives, renderDivider, renderHeader, renderStatus } from './views.js';

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
  /** Back from a provider with `perso_error`: the card shows the sentence; the host emits it. */
  socialFailed(detail: PersoErrorDetail): void;
  /**
   * Back from a provider that did not vouch for the email: the code from the mailed message,
   * typed here, completes the waiting attempt (the link works in this browser too).
   */
  returnedCode: { code: VerificationCode; verified(user: User): void };
  /** The passkey button's ceremony (see passkey-flow.ts); without it no passkey button shows. */
  passkey?: { busy(): boolean; start(): void; prepare(): void };
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
export class AuthMethods<T> implements ReactiveController {
  busy = false;
  readonly fields: CredentialFields;
  /** What the last provider round trip brought back, until the person does something else. */
  #returned: SocialReturn = {};
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
    host.addController(this);
  }

  hostConnected(): void {
    this.#returned = takeSocialReturn(this.host.localName);
    const code = this.#returned.error;
    // In a later task: the page's own listeners, added by scripts that run after the kit's
    // (the element connects as soon as it is defined), would miss an event sent now.
    if (code) setTimeout(() => this.options.socialFailed({ code, message: this.#returnedError(code) }));
  }

  /** Translated at render time: the element's language pack may still be loading at connect. */
  #returnedError(code: string): string {
    const t = this.host.localize.t;
    return t.error(code, t.term('error.unexpected'));
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
    this.#returned = {};
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

  #continueWith = (provider: SocialProvider): void => {
    this.#returned = {};
    leaveForProvider(this.host.localName, () => this.options.continueWith(provider));
  };

  /** Whether the passkey method shows: enabled by the organization and possible in this browser. */
  passkeyOffered(config: OrganizationConfig): boolean {
    return config.methods.passkey && this.options.passkey !== undefined && passkeysSupported();
  }

  /** `formFooter` goes under the submit button, e.g. "Forgot password?". */
  render(config: OrganizationConfig, alert?: string, formFooter: TemplateResult | typeof nothing = nothing): TemplateResult {
    const { labels } = this.options;
    const { password, social } = config.methods;
    const t = this.host.localize.t;
    const ceremony = this.options.passkey;
    const busy = this.busy || (ceremony?.busy() ?? false);
    const alternatives = renderAlternatives(t, {
      passkey:
        ceremony && this.passkeyOffered(config)
          ? { label: t.term(labels.passkey), busy: ceremony.busy(), onClick: () => ceremony.start(), onPrepare: () => ceremony.prepare() }
          : undefined,
      social,
      disabled: busy,
      onSocial: this.#continueWith,
    });
    const seconds = this.#rateLimit.remaining;
    return html`
      ${renderHeader(this.host.localize.t.term(labels.heading), this.host.localize.t.term('auth.subtitle', { organization: config.organization.name }))}
      ${seconds > 0 ? renderAlert(t.error('rate_limited', '', { time: t.wait(seconds) }), { countdown: true }) : this.#renderReturned(alert)}
      ${alternatives}
      ${!password && this.options.purpose === 'sign-up' && this.passkeyOffered(config) ? this.#renderPasskeyEmailForm(busy) : nothing}
      ${alternatives !== nothing && password ? renderDivider(t) : nothing}
      ${password ? this.#renderPasswordForm(formFooter, busy, this.options.purpose === 'sign-in' && this.passkeyOffered(config)) : nothing}
      ${!password && alternatives === nothing ? html`<p class="lead">${this.host.localize.t.term('auth.noMethods')}</p>` : nothing}
    `;
  }

  /**
   * A passkey sign-up still needs the email it verifies: without the password method, the email
   * field stands alone above the passkey button, and Enter in it starts the passkey.
   */
  #renderPasskeyEmailForm(busy: boolean): TemplateResult {
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      this.options.passkey?.start();
    };
    return html`<form part="form" novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${submit}>${this.fields.render({ busy, withPassword: false })}</form>`;
  }

  /**
   * For a signed-in person: the providers they can add. The server links the provider to the
   * session's account; a refusal (`identity_in_use`) comes back here, so it shows here too.
   */
  renderLinking(config: OrganizationConfig): TemplateResult | typeof nothing {
    if (config.methods.social.length === 0) return nothing;
    const t = this.host.localize.t;
    return html`
      <p class="lead">${t.term('social.linkLead')}</p>
      ${this.#renderReturned(undefined)}
      ${renderAlternatives(t, { social: config.methods.social, disabled: false, onSocial: this.#continueWith })}
    `;
  }

  #renderReturned(alert: string | undefined): TemplateResult | typeof nothing {
    const { error, attempt } = this.#returned;
    if (alert ?? error) return renderAlert(alert ?? this.#returnedError(error!));
    // The provider did not vouch for the address: its verification mail went out, for this browser.
    if (!attempt) return nothing;
    const t = this.host.localize.t;
    return html`${renderStatus(t.term('social.verifyEmail'))}${renderCodeForm(t, this.options.returnedCode.code, (event) => void this.#verifyReturned(event, attempt))}`;
  }

  async #verifyReturned(event: SubmitEvent, attempt: string): Promise<void> {
    event.preventDefault();
    const { code, verified } = this.options.returnedCode;
    if (code.busy) return;
    const outcome = await code.submit(attempt);
    if ('user' in outcome) {
      this.#returned = {};
      verified(outcome.user);
    } else if ('error' in outcome && !outcome.onField) {
      this.#returned = { error: outcome.error.code };
    }
    this.host.requestUpdate();
  }

  /** `webauthn`: the email field also offers passkeys in its autofill. */
  #renderPasswordForm(footer: TemplateResult | typeof nothing, busy: boolean, webauthn: boolean): TemplateResult {
    const { labels } = this.options;
    return html`
      <form part="form" novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.#submit}>
        ${this.fields.render({ busy, webauthn })}
        <button type="submit" class="primary block" part="button button-primary submit-button" ?disabled=${busy || this.#rateLimit.active}>
          ${this.busy ? html`<span class="spinner" aria-hidden="true"></span>${this.host.localize.t.term(labels.busy)}` : this.host.localize.t.term(labels.submit)}
        </button>
        ${footer}
      </form>
    `;
  }
}
