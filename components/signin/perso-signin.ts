import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { AuthForm } from '../auth/auth-form.js';
import { navigateTop } from '../auth/social-return.js';
import { restoreFocus } from '../auth/focus.js';
import { AuthGate } from '../auth/gate.js';
import { lazyCodeStep } from '../auth/lazy-code-step.js';
import { type MethodsView, passkeyOffered, renderLinking, renderMethods } from '../auth/methods.js';
import type { PasskeySignIn } from '../auth/passkey-flow.js';
import { passkeysSupported } from '../auth/passkey-support.js';
import { SignOutAction } from '../auth/sign-out.js';
import { mailIcon, renderAlert, renderHeader, renderLoading } from '../auth/views.js';
import { languageOf, mailLocale } from '../base/language.js';
import { LazyModule } from '../base/lazy-module.js';
import { PersoElement } from '../base/perso-element.js';
import type { SignOutReason } from '../base/events.js';
import { ApiError } from '../client/api-error.js';
import type { User } from '../client/types.js';
import { styles } from './perso-signin.styles.js';

/** The card's own steps once the gate is `ready`. */
type View = 'form' | 'verify' | 'forgot' | 'reset-sent';

/** A sign-up attempt whose password was just typed here: finish it with its code. */
interface Unverified {
  email: string;
  attempt?: string;
}

/**
 * Signs a person in with the methods the organization enables: email and password, a
 * passkey, or a social provider. Once signed in it shows who is signed in and a way to sign
 * out. Every element sharing its client (the same `api`, or one provided through context)
 * sees the new session at once. "Forgot password?" asks for a reset mail; the password of a
 * sign-up not yet verified leads to its verification code.
 *
 * @summary Sign-in card.
 *
 * @event {CustomEvent<PersoSignedInDetail>} perso-signed-in - A sign-in (or a verification code entered here) succeeded. `detail: {user}`.
 * @event {CustomEvent<PersoSignedOutDetail>} perso-signed-out - The session ended, here or elsewhere. `detail: {reason}`: `"signed_out"` after a sign-out through this page, else `"expired"`.
 * @event {CustomEvent<PersoErrorDetail>} perso-error - A request failed. `detail: {code, message}`; `code` is the server's error code or `network_error`.
 *
 * @slot footer - Shown under the card's content, e.g. "No account yet? Sign up".
 *
 * @csspart heading - The heading of the current step.
 * @csspart subtitle - The line under the heading naming the organization.
 * @csspart form - The email and password form, the reset form and the code form.
 * @csspart field - A label, its input and error.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart error - Any error text: field errors and alerts.
 * @csspart field-error - The error under a field.
 * @csspart alert - An error about the whole form.
 * @csspart status - A confirmation or progress message.
 * @csspart button - Every button.
 * @csspart button-primary - The submit button of each step.
 * @csspart button-secondary - Passkey, social, resend, retry and sign-out buttons.
 * @csspart submit-button - The "Sign in" button.
 * @csspart password-toggle - The show-password button.
 * @csspart forgot-button - The "Forgot password?" link.
 * @csspart reset-button - The "Send reset link" button.
 * @csspart back-button - The "Back to sign in" link.
 * @csspart code-form - The verification code form.
 * @csspart code-input - The "Verification code" input.
 * @csspart verify-button - The "Verify" button.
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

  #gate = new AuthGate(
    this,
    () => this.client,
    () => this.organization,
    { onChange: (user, _previous, reason) => this.#sessionChanged(user, reason) },
    (config) => this.#loadPasskey(config.methods.passkey),
  );
  #form = new AuthForm(this, { purpose: 'sign-in', report: (detail) => this.emit('perso-error', detail) });
  #codeStep = lazyCodeStep(this, () => this.client, (detail) => this.emit('perso-error', detail));
  /** Loaded (passkey-flow.ts, a chunk) only for an organization with passkeys on, in a browser that has them. */
  #passkey?: PasskeySignIn;
  #signOut = new SignOutAction(this, () => this.client);
  /** The "Forgot password?" steps' bodies (reset-views.ts, a chunk), fetched when the link is about to be used. */
  #resetViews = new LazyModule(this, () => import('./reset-views.js'));

  static override properties: PropertyDeclarations = { view: { state: true, attribute: false }, unverified: { state: true, attribute: false }, resetBusy: { state: true, attribute: false } };

  private view: View = 'form';
  /** Set while the verify step shows. */
  private unverified?: Unverified;
  /** Busy while a reset mail is being asked for. */
  private resetBusy = false;

  async #loadPasskey(enabled: boolean): Promise<void> {
    if (!enabled || this.#passkey || !passkeysSupported()) return;
    const { PasskeySignIn } = await import('../auth/passkey-flow.js');
    this.#passkey ??= new PasskeySignIn(this, () => this.client, {
      organization: () => this.organization,
      signedIn: (user) => {
        this.#form.nextStep();
        this.emit('perso-signed-in', { user });
      },
      failed: (error) => this.#form.fail(error),
    });
  }

  /** Leaves the page for a social provider; a seam for tests and hosts. */
  protected navigate(url: string): void {
    navigateTop(url);
  }

  #show(view: View): void {
    this.view = view;
    if (view !== 'verify') this.unverified = undefined;
    this.#form.nextStep();
  }

  /**
   * What the card said belongs to the session that just began or ended. A session that ended
   * anywhere but this card's "Sign out" is said so; the typed email stays in the form.
   */
  #sessionChanged(user: User | null, reason?: SignOutReason): void {
    // Only a card that was on screen says so: one parked in an unshown slot (the keys table's
    // `signed-out` slot while signed in) would repeat what the element around it says.
    // (Safari before 17.4 has no checkVisibility: there the card speaks, as before.)
    const seen = typeof this.checkVisibility === 'function' ? this.checkVisibility() : true;
    if (!user && reason === 'expired' && seen) this.#form.say(this.localize.t.term('auth.sessionEnded'));
    else this.#form.clear();
    if (!user) void restoreFocus(this, ['.alert', '.heading']);
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const outcome = await this.#form.submit((email, password) => this.client.signIn(email, password));
    if (outcome.status === 'done') {
      this.#form.nextStep();
      this.emit('perso-signed-in', { user: outcome.value });
    } else if (outcome.status === 'failed' && outcome.error.code === 'email_not_verified') {
      // The password was right, for a sign-up not yet verified: its code finishes it here.
      this.#codeStep.value?.reset();
      this.#form.clearPassword();
      this.#show('verify');
      this.unverified = { email: outcome.email, attempt: outcome.cause instanceof ApiError ? outcome.cause.attempt : undefined };
    }
  };

  #onSignOut = async (): Promise<void> => {
    if (await this.#form.signOut(this.#signOut)) this.#show('form');
  };

  #verify = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const attempt = this.unverified?.attempt;
    const code = this.#codeStep.value?.code;
    if (!attempt || !code) return;
    const user = await this.#form.verify(code, attempt);
    if (!user) return;
    this.#show('form');
    this.emit('perso-signed-in', { user });
  };

  #requestReset = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.resetBusy) return;
    this.#form.clear();
    if (!this.#form.validate(['email'])) return;
    this.resetBusy = true;
    try {
      await this.client.requestPasswordReset(this.#form.email, mailLocale(languageOf(this)));
      this.#show('reset-sent');
    } catch (error) {
      // Not busy before the failure is placed: focus goes back to "Send reset link", enabled again.
      this.resetBusy = false;
      await this.#form.fail(error);
    } finally {
      this.resetBusy = false;
    }
  };

  get #methodsView(): MethodsView {
    const passkey = this.#passkey;
    return {
      purpose: 'sign-in',
      labels: { heading: 'signin.heading', passkey: 'signin.passkey', submit: 'signin.submit', busy: 'signin.busy' },
      form: this.#form,
      passkey: passkey && { busy: passkey.busy, icon: passkey.icon, prepare: () => passkey.prepare(), start: () => void passkey.start() },
      onSubmit: this.#submit,
      onSocial: (provider) => this.#form.continueWith(provider, this.client, this.organization, (url) => this.navigate(url)),
      returnedCode: this.#codeStep.value,
      onVerifyReturned: async (event, attempt) => {
        event.preventDefault();
        const code = this.#codeStep.value?.code;
        const user = code && (await this.#form.verify(code, attempt));
        if (user) this.emit('perso-signed-in', { user });
      },
    };
  }

  protected override willUpdate(): void {
    if (this.view === 'verify' || this.#form.returnedAttempt) this.#codeStep.load();
    if (this.view === 'forgot' || this.view === 'reset-sent') this.#resetViews.load();
  }

  protected override updated(): void {
    // Passkeys in the email field's autofill while the form shows and nothing else is under way.
    const config = this.#gate.config;
    this.#passkey?.autofill(this.#gate.step === 'ready' && this.view === 'form' && config !== undefined && passkeyOffered(config, this.#passkey) && !this.#form.busy);
  }

  override render(): TemplateResult {
    const t = this.localize.t;
    return this.#gate.renderCard(t, {
      heading: t.term('signin.heading'),
      signedIn: (user) => html`${this.#signOut.render(t, user, this.#onSignOut, this.#form.alert)}${renderLinking(t, this.#gate.config!, this.#methodsView)}`,
      ready: () => this.#renderView(),
    });
  }

  #renderView(): TemplateResult {
    switch (this.view) {
      case 'form':
        return renderMethods(this.localize.t, this.#gate.config!, { ...this.#methodsView, footer: this.#renderForgotLink() });
      case 'verify':
        return this.#renderVerify(this.unverified!);
      case 'forgot':
        return this.#renderForgot();
      case 'reset-sent':
        return this.#renderResetSent();
    }
  }

  #renderForgotLink(): TemplateResult {
    const prefetch = () => this.#resetViews.load();
    return html`<button
      type="button"
      class="link forgot"
      part="button forgot-button"
      @pointerenter=${prefetch}
      @focus=${prefetch}
      @click=${() => this.#show('forgot')}
    >${this.localize.t.term('signin.forgot')}</button>`;
  }

  #renderBackLink(): TemplateResult {
    return html`<button type="button" class="link back" part="button back-button" @click=${() => this.#show('form')}>${this.localize.t.term('signin.backToSignIn')}</button>`;
  }

  #renderVerify({ email, attempt }: Unverified): TemplateResult {
    const step = this.#codeStep.value;
    return html`
      <div class="badge" aria-hidden="true">${mailIcon}</div>
      ${renderHeader(this.localize.t.term('signin.verifyHeading'))}
      ${step ? html`<p class="lead">${this.localize.t.term('signin.verifyLead', { email })}</p>` : nothing}
      ${this.#form.alert ? renderAlert(this.#form.alert) : nothing}
      ${!step ? renderLoading(this.localize.t) : attempt ? step.renderCodeForm(this.localize.t, this.#verify) : nothing}
      <div class="stack after-code">${step?.renderResend(email, attempt) ?? nothing}${this.#renderBackLink()}</div>
    `;
  }

  #renderForgot(): TemplateResult {
    const t = this.localize.t;
    const views = this.#resetViews.value;
    return html`
      ${renderHeader(t.term('reset.heading'))}
      ${views ? views.renderForgot(t, { form: this.#form, busy: this.resetBusy, onSubmit: this.#requestReset, backLink: this.#renderBackLink() }) : renderLoading(t)}
    `;
  }

  #renderResetSent(): TemplateResult {
    const t = this.localize.t;
    const views = this.#resetViews.value;
    return html`
      <div class="badge" aria-hidden="true">${mailIcon}</div>
      ${renderHeader(t.term('reset.sentHeading'))}
      ${views ? views.renderResetSent(t, this.#form.email, this.#renderBackLink()) : renderLoading(t)}
    `;
  }
}

customElements.get('perso-signin') || customElements.define('perso-signin', PersoSignin);

declare global {
  interface HTMLElementTagNameMap {
    'perso-signin': PersoSignin;
  }
}
