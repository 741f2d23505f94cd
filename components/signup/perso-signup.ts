import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { loadAuthConfig, oauthStartUrl } from '../auth/config.js';
import { CredentialFields } from '../auth/credentials.js';
import { describeError } from '../auth/errors.js';
import { ResendAction } from '../auth/resend.js';
import { SessionController } from '../client/session-controller.js';
import { renderAlert, renderAlternatives, renderConfigError, renderDivider, renderHeader, renderLoading, renderSignedIn } from '../auth/views.js';
import { msg } from '../base/localize.js';
import { PersoElement } from '../base/perso-element.js';
import { ApiError } from '../client/api-error.js';
import type { OrganizationConfig, SocialProvider } from '../client/types.js';
import { styles } from './perso-signup.styles.js';

type Step = 'loading' | 'config-error' | 'form' | 'check-inbox' | 'signed-in';

/**
 * Creates an account with the methods the organization enables: email and password, a
 * passkey, or a social provider. After a password sign-up it asks the person to open the
 * verification mail, and offers to resend it.
 *
 * @summary Account sign-up card.
 *
 * @event perso-signed-up - The server accepted a sign-up and sent a verification mail. `detail: {email, method}`.
 * @event perso-error - A request failed. `detail: {code, message}`; `code` is the server's error code or `network_error`.
 *
 * @slot footer - Shown under the card's content, e.g. "Already have an account? Sign in".
 *
 * @csspart heading - The heading of the current step.
 * @csspart subtitle - The line under the heading naming the organization.
 * @csspart form - The email and password form.
 * @csspart field - A label, its input, hint and error.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart hint - Help text under an input.
 * @csspart error - Any error text: field errors and alerts.
 * @csspart field-error - The error under a field.
 * @csspart alert - An error about the whole form.
 * @csspart status - A confirmation or progress message.
 * @csspart button - Every button.
 * @csspart button-primary - The submit button.
 * @csspart button-secondary - Passkey, social, resend, retry and sign-out buttons.
 * @csspart password-toggle - The show-password button.
 * @csspart social-button - A "Continue with {Provider}" button.
 * @csspart passkey-button - The "Sign up with a passkey" button.
 * @csspart resend-button - The "Resend email" button.
 * @csspart change-email-button - The "Use a different email" button.
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
export class PersoSignup extends PersoElement {
  static override styles = styles;

  #config = new Task(this, {
    task: ([client, organization], { signal }) => loadAuthConfig(client, organization, signal),
    args: () => [this.client, this.organization] as const,
  });
  #session = new SessionController(this, () => this.client);
  #credentials = new CredentialFields(this, 'sign-up');
  #resend = new ResendAction(this, () => this.client, (detail) => this.emit('perso-error', detail));

  /** Where the verification link leads once the email is verified; must be on an allowed origin. */
  @property() redirect?: string;

  @state() private busy = false;
  @state() private signingOut = false;
  @state() private alert?: string;
  /** The address the verification mail went to; set once the server accepted the sign-up. */
  @state() private sentTo?: string;

  #focusHeading = false;

  override updated(): void {
    if (!this.#focusHeading) return;
    this.#focusHeading = false;
    this.renderRoot.querySelector<HTMLElement>('.heading')?.focus();
  }

  /** Leaves the page for a social provider; a seam for tests and hosts. */
  protected navigate(url: string): void {
    window.location.assign(url);
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.busy) return;
    this.alert = undefined;
    if (!this.#credentials.validate()) return;
    const email = this.#credentials.address;
    this.busy = true;
    try {
      await this.client.signUp({
        email,
        password: this.#credentials.password,
        organization: this.organization,
        ...(this.redirect ? { redirect: this.redirect } : {}),
      });
      this.#credentials.password = '';
      this.#resend.reset();
      this.sentTo = email;
      this.#focusHeading = true;
      this.emit('perso-signed-up', { email, method: 'password' });
    } catch (error) {
      this.#fail(error);
    } finally {
      this.busy = false;
    }
  };

  #fail(error: unknown): void {
    const detail = describeError(error);
    if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
      const unplaced = this.#credentials.showServerErrors(error.fields);
      this.alert = unplaced.length > 0 ? unplaced.join(' ') : undefined;
    } else {
      this.alert = detail.message;
      void this.#keepFocus();
    }
    this.emit('perso-error', detail);
  }

  /** A disabled busy button drops focus; put it back so keyboard users stay in the form. */
  async #keepFocus(): Promise<void> {
    await this.updateComplete;
    if (!this.shadowRoot?.activeElement) this.renderRoot.querySelector<HTMLElement>('button[type=submit], .heading')?.focus();
  }

  #changeEmail = (): void => {
    this.sentTo = undefined;
    this.#resend.reset();
    void this.#credentials.focus('email');
  };

  #signOut = async (): Promise<void> => {
    this.signingOut = true;
    this.alert = undefined;
    try {
      await this.client.signOut();
      this.sentTo = undefined;
      this.#focusHeading = true;
    } catch (error) {
      this.#fail(error);
    } finally {
      this.signingOut = false;
    }
  };

  #continueWith = (provider: SocialProvider): void => {
    this.navigate(oauthStartUrl(this.client, provider.id, this.organization, window.location.href));
  };

  // The WebAuthn ceremony arrives with the server's passkey routes (API.md §3); until then no
  // organization config enables passkeys, so this button is never shown.
  #startPasskey = (): void => {};

  get #step(): Step {
    if (this.#config.status === TaskStatus.ERROR) return 'config-error';
    if (this.#config.status !== TaskStatus.COMPLETE) return 'loading';
    if (this.#session.user) return 'signed-in';
    return this.sentTo ? 'check-inbox' : 'form';
  }

  override render(): TemplateResult {
    return html`${this.#renderStep()}<slot name="footer"></slot>`;
  }

  #renderStep(): TemplateResult {
    switch (this.#step) {
      case 'loading':
        return html`${renderHeader(msg('signup.heading'))}${renderLoading()}`;
      case 'config-error':
        return html`${renderHeader(msg('signup.heading'))}${renderConfigError(describeError(this.#config.error).message, () => this.#config.run())}`;
      case 'signed-in':
        return renderSignedIn(this.#session.user!, this.signingOut, this.#signOut, this.alert);
      case 'check-inbox':
        return this.#renderCheckInbox(this.sentTo!);
      case 'form':
        return this.#renderForm(this.#config.value!);
    }
  }

  #renderForm(config: OrganizationConfig): TemplateResult {
    const { password, passkey, social } = config.methods;
    const alternatives = renderAlternatives({
      passkey: passkey ? { label: msg('signup.passkey'), onClick: this.#startPasskey } : undefined,
      social,
      disabled: this.busy,
      onSocial: this.#continueWith,
    });
    return html`
      ${renderHeader(msg('signup.heading'), msg('auth.subtitle', { organization: config.organization.name }))}
      ${this.alert ? renderAlert(this.alert) : nothing}
      ${alternatives}
      ${alternatives !== nothing && password ? renderDivider() : nothing}
      ${password ? this.#renderPasswordForm() : nothing}
      ${!password && alternatives === nothing ? html`<p class="lead">${msg('auth.noMethods')}</p>` : nothing}
    `;
  }

  #renderPasswordForm(): TemplateResult {
    return html`
      <form part="form" novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.#submit}>
        ${this.#credentials.render({ busy: this.busy })}
        <button type="submit" class="primary block" part="button button-primary submit-button" ?disabled=${this.busy}>
          ${this.busy ? html`<span class="spinner" aria-hidden="true"></span>${msg('signup.busy')}` : msg('signup.submit')}
        </button>
      </form>
    `;
  }

  #renderCheckInbox(email: string): TemplateResult {
    return html`
      <div class="badge" aria-hidden="true">${mailIcon}</div>
      ${renderHeader(msg('signup.checkInbox'))}
      <p class="lead">${msg('signup.sentTo', { email })}</p>
      <div class="stack">
        ${this.#resend.render(email)}
        <button type="button" class="link" part="button change-email-button" @click=${this.#changeEmail}>${msg('signup.changeEmail')}</button>
      </div>
    `;
  }
}

const mailIcon = html`<svg viewBox="0 0 24 24" focusable="false">
  <rect x="3" y="5" width="18" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="2" />
  <path d="M3 7l9 6 9-6" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
</svg>`;

customElements.get('perso-signup') || customElements.define('perso-signup', PersoSignup);

declare global {
  interface HTMLElementTagNameMap {
    'perso-signup': PersoSignup;
  }
}
