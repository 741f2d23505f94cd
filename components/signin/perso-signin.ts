import { Task, TaskStatus } from '@lit/task';
import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
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
import { styles } from './perso-signin.styles.js';

type Step = 'loading' | 'config-error' | 'form' | 'signed-in';

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

  #config = new Task(this, {
    task: ([client, organization], { signal }) => loadAuthConfig(client, organization, signal),
    args: () => [this.client, this.organization] as const,
  });
  #session = new SessionController(this, () => this.client);
  #credentials = new CredentialFields(this, 'sign-in');
  #resend = new ResendAction(this, () => this.client, (detail) => this.emit('perso-error', detail));

  @state() private busy = false;
  @state() private signingOut = false;
  @state() private alert?: string;
  /** Set when the password was right but the email is not verified yet: offer to resend. */
  @state() private unverifiedEmail?: string;

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
    this.alert = this.unverifiedEmail = undefined;
    this.#resend.reset();
    if (!this.#credentials.validate()) return;
    const email = this.#credentials.address;
    this.busy = true;
    try {
      const user = await this.client.signIn(email, this.#credentials.password);
      this.#credentials.password = '';
      this.#focusHeading = true;
      this.emit('perso-signed-in', { user });
    } catch (error) {
      this.#fail(error, email);
    } finally {
      this.busy = false;
    }
  };

  #fail(error: unknown, email?: string): void {
    const detail = describeError(error);
    const code = error instanceof ApiError ? error.code : detail.code;
    if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
      const unplaced = this.#credentials.showServerErrors(error.fields);
      this.alert = unplaced.length > 0 ? unplaced.join(' ') : undefined;
    } else {
      this.alert = detail.message;
      if (code === 'email_not_verified') this.unverifiedEmail = email;
      if (code === 'invalid_credentials') {
        this.#credentials.password = '';
        void this.#credentials.focus('password');
      } else {
        void this.#keepFocus();
      }
    }
    this.emit('perso-error', detail);
  }

  /** A disabled busy button drops focus; put it back so keyboard users stay in the form. */
  async #keepFocus(): Promise<void> {
    await this.updateComplete;
    if (!this.shadowRoot?.activeElement) this.renderRoot.querySelector<HTMLElement>('button[type=submit], .heading')?.focus();
  }

  #signOut = async (): Promise<void> => {
    this.signingOut = true;
    this.alert = this.unverifiedEmail = undefined;
    try {
      await this.client.signOut();
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
    return this.#session.user ? 'signed-in' : 'form';
  }

  override render(): TemplateResult {
    return html`${this.#renderStep()}<slot name="footer"></slot>`;
  }

  #renderStep(): TemplateResult {
    switch (this.#step) {
      case 'loading':
        return html`${renderHeader(msg('signin.heading'))}${renderLoading()}`;
      case 'config-error':
        return html`${renderHeader(msg('signin.heading'))}${renderConfigError(describeError(this.#config.error).message, () => this.#config.run())}`;
      case 'signed-in':
        return renderSignedIn(this.#session.user!, this.signingOut, this.#signOut, this.alert);
      case 'form':
        return this.#renderForm(this.#config.value!);
    }
  }

  #renderForm(config: OrganizationConfig): TemplateResult {
    const { password, passkey, social } = config.methods;
    const alternatives = renderAlternatives({
      passkey: passkey ? { label: msg('signin.passkey'), onClick: this.#startPasskey } : undefined,
      social,
      disabled: this.busy,
      onSocial: this.#continueWith,
    });
    return html`
      ${renderHeader(msg('signin.heading'), msg('auth.subtitle', { organization: config.organization.name }))}
      ${this.alert ? renderAlert(this.alert) : nothing}
      ${this.unverifiedEmail ? html`<div class="stack resend">${this.#resend.render(this.unverifiedEmail)}</div>` : nothing}
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
          ${this.busy ? html`<span class="spinner" aria-hidden="true"></span>${msg('signin.busy')}` : msg('signin.submit')}
        </button>
      </form>
    `;
  }
}

customElements.get('perso-signin') || customElements.define('perso-signin', PersoSignin);

declare global {
  interface HTMLElementTagNameMap {
    'perso-signin': PersoSignin;
  }
}
