import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { oauthStartUrl } from '../auth/config.js';
import { StepFocus } from '../auth/focus.js';
import { AuthGate } from '../auth/gate.js';
import { AuthMethods } from '../auth/methods.js';
import { ResendAction } from '../auth/resend.js';
import { SignOutAction } from '../auth/sign-out.js';
import { msg } from '../base/localize.js';
import { PersoElement } from '../base/perso-element.js';
import { styles } from './perso-signin.styles.js';

/**
 * Signs a person in with the methods the organization enables: email and password, a
 * passkey, or a social provider. Once signed in it shows who is signed in and a way to sign
 * out. Every element sharing its client (the same `api`, or one provided through context)
 * sees the new session at once.
 *
 * @summary Sign-in card.
 *
 * @event perso-signed-in - A sign-in succeeded. `detail: {user}`.
 * @event perso-error - A request failed. `detail: {code, message}`; `code` is the server's error code or `network_error`.
 *
 * @slot footer - Shown under the card's content, e.g. "No account yet? Sign up".
 *
 * @csspart heading - The heading of the current step.
 * @csspart subtitle - The line under the heading naming the organization.
 * @csspart form - The email and password form.
 * @csspart field - A label, its input and error.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart error - Any error text: field errors and alerts.
 * @csspart field-error - The error under a field.
 * @csspart alert - An error about the whole form.
 * @csspart status - A confirmation or progress message.
 * @csspart button - Every button.
 * @csspart button-primary - The submit button.
 * @csspart button-secondary - Passkey, social, resend, retry and sign-out buttons.
 * @csspart password-toggle - The show-password button.
 * @csspart social-button - A "Continue with {Provider}" button.
 * @csspart passkey-button - The "Sign in with a passkey" button.
 * @csspart resend-button - The "Resend email" button offered for an unverified email.
 * @csspart retry-button - The button that reloads the form after a failure.
 * @csspart sign-out-button - The "Sign out" button.
 * @csspart alternatives - The group of passkey and social buttons.
 * @csspart divider - The "or" line between the alternatives and the form.
 *
 * @cssproperty --perso-color-background - Card background.
 * @cssproperty --perso-color-surface - Secondary button background.
 * @cssproperty --perso-color-text - Text colour.
 * @cssproperty --perso-color-muted - Secondary text colour.
 * @cssproperty --perso-color-border - Borders of the card, inputs and buttons.
 * @cssproperty --perso-color-primary - Primary button and links.
 * @cssproperty --perso-color-on-primary - Text on the primary button.
 * @cssproperty --perso-color-danger - Errors.
 * @cssproperty --perso-color-success - Confirmations.
 * @cssproperty --perso-color-focus - Focus ring.
 * @cssproperty --perso-radius - Corner radius of inputs and buttons (the card uses 1.5×).
 * @cssproperty --perso-font-family - Font family.
 * @cssproperty --perso-font-size - Base font size.
 * @cssproperty --perso-spacing - Base spacing unit.
 * @cssproperty --perso-shadow - Card shadow.
 * @cssproperty --perso-max-width - Card maximum width.
 */
export class PersoSignin extends PersoElement {
  static override styles = styles;

  #gate = new AuthGate(this, () => this.client, () => this.organization);
  #focus = new StepFocus(this);
  #resend = new ResendAction(this, () => this.client, (detail) => this.emit('perso-error', detail));
  #methods = new AuthMethods(this, {
    purpose: 'sign-in',
    labels: { heading: 'signin.heading', passkey: 'signin.passkey', submit: 'signin.submit', busy: 'signin.busy' },
    reset: () => {
      this.alert = this.unverifiedEmail = undefined;
      this.#resend.reset();
    },
    send: (email, password) => this.client.signIn(email, password),
    sent: (_email, user) => {
      this.#focus.headingAfterUpdate();
      this.emit('perso-signed-in', { user });
    },
    failed: (error, email) => this.#fail(error, email),
    continueWith: (provider) => this.navigate(oauthStartUrl(this.client, provider.id, this.organization, window.location.href)),
  });
  #signOut = new SignOutAction(this, () => this.client, {
    started: () => {
      this.alert = this.unverifiedEmail = undefined;
    },
    signedOut: () => this.#focus.headingAfterUpdate(),
    failed: (error) => this.#fail(error),
  });

  @state() private alert?: string;
  /** Set when the password was right but the email is not verified yet: offer to resend. */
  @state() private unverifiedEmail?: string;

  /** Leaves the page for a social provider; a seam for tests and hosts. */
  protected navigate(url: string): void {
    window.location.assign(url);
  }

  #fail(error: unknown, email?: string): void {
    const { detail, alert, onFields } = this.#methods.place(error);
    this.alert = alert;
    if (!onFields) {
      if (detail.code === 'email_not_verified') this.unverifiedEmail = email;
      if (detail.code === 'invalid_credentials') {
        this.#methods.fields.password = '';
        void this.#methods.fields.focus('password');
      } else {
        void this.#focus.keep();
      }
    }
    this.emit('perso-error', detail);
  }

  override render(): TemplateResult {
    return html`${this.#renderStep()}<slot name="footer"></slot>`;
  }

  #renderStep(): TemplateResult {
    switch (this.#gate.step) {
      case 'pending':
        return this.#gate.renderPending(msg('signin.heading'));
      case 'signed-in':
        return this.#signOut.render(this.#gate.user!, this.alert);
      case 'ready':
        return this.#methods.render(this.#gate.config!, this.alert, this.#renderResend());
    }
  }

  #renderResend(): TemplateResult | typeof nothing {
    return this.unverifiedEmail ? html`<div class="stack resend">${this.#resend.render(this.unverifiedEmail)}</div>` : nothing;
  }
}

customElements.get('perso-signin') || customElements.define('perso-signin', PersoSignin);

declare global {
  interface HTMLElementTagNameMap {
    'perso-signin': PersoSignin;
  }
}
