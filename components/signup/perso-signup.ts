import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { AuthForm } from '../auth/auth-form.js';
import { navigateTop } from '../auth/social-return.js';
import { restoreFocus } from '../auth/focus.js';
import { AuthGate } from '../auth/gate.js';
import { lazyCodeStep } from '../auth/lazy-code-step.js';
import { type MethodsView, renderMethods } from '../auth/methods.js';
import type { PasskeySignUp } from '../auth/passkey-flow.js';
import { passkeysSupported } from '../auth/passkey-support.js';
import { SignOutAction } from '../auth/sign-out.js';
import { mailIcon, renderAlert, renderHeader, renderLoading, renderStatus } from '../auth/views.js';
import { languageOf, mailLocale } from '../base/language.js';
import { LazyModule } from '../base/lazy-module.js';
import { PersoElement } from '../base/perso-element.js';
import type { SignUpAccepted, User } from '../client/types.js';
import { styles } from './perso-signup.styles.js';

type Step = 'pending' | 'signed-in' | 'check-inbox' | 'form';

/** The sign-up this element started and is waiting on. */
interface Attempt {
  email: string;
  id: string;
  /** The server held the mail back (too many mails to this address lately). */
  mailHeld: boolean;
}

/**
 * Creates an account with the methods the organization enables: email and password, a
 * passkey, or a social provider. After a password sign-up it asks for the code from the
 * verification mail (or its link, opened in this browser), offers to resend that mail, and
 * moves on by itself once the sign-up is completed in another tab.
 *
 * @summary Account sign-up card.
 *
 * @event {CustomEvent<PersoSignedUpDetail>} perso-signed-up - The server accepted a sign-up and sent a verification mail. `detail: {email, method}`.
 * @event {CustomEvent<PersoSignedInDetail>} perso-signed-in - The sign-up was verified (by its code here, or its link in another tab) and this browser is signed in. `detail: {user}`.
 * @event {CustomEvent<PersoSignedOutDetail>} perso-signed-out - The session ended, here or elsewhere. `detail: {reason}`: `"signed_out"` after a sign-out through this page, else `"expired"`.
 * @event {CustomEvent<PersoErrorDetail>} perso-error - A request failed. `detail: {code, message}`; `code` is the server's error code or `network_error`.
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
 * @csspart code-form - The verification code form.
 * @csspart code-input - The "Verification code" input.
 * @csspart verify-button - The "Verify" button.
 * @csspart submit-button - The "Create account" button.
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

  #gate = new AuthGate(this, () => this.client, () => this.organization, { onChange: (user) => this.#sessionChanged(user) }, (config) =>
    this.#loadPasskey(config.methods.passkey),
  );
  /** Asks whether another tab completed the sign-up (session-poll.ts, a chunk), while the inbox step waits. */
  #poll = new LazyModule(this, () => import('../client/session-poll.js').then(({ SessionPoll }) => new SessionPoll(this, () => this.#gate.recheckSession())));
  #form = new AuthForm(this, { purpose: 'sign-up', report: (detail) => this.emit('perso-error', detail) });
  #codeStep = lazyCodeStep(this, () => this.client, (detail) => this.emit('perso-error', detail));
  /** Loaded (passkey-flow.ts, a chunk) only for an organization with passkeys on, in a browser that has them. */
  #passkey?: PasskeySignUp;
  #signOut = new SignOutAction(this, () => this.client);

  static override properties: PropertyDeclarations = { redirect: {}, attempt: { state: true, attribute: false } };

  /** Where the verification link leads once the email is verified; must be on an allowed origin. */
  redirect?: string;

  /** Set once the server accepted the sign-up; the check-inbox step shows while it is. */
  private attempt?: Attempt;

  async #loadPasskey(enabled: boolean): Promise<void> {
    if (!enabled || this.#passkey || !passkeysSupported()) return;
    const { PasskeySignUp } = await import('../auth/passkey-flow.js');
    this.#passkey ??= new PasskeySignUp(this, () => this.client);
  }

  /** Leaves the page for a social provider; a seam for tests and hosts. */
  protected navigate(url: string): void {
    navigateTop(url);
  }

  #attemptOptions() {
    return { organization: this.organization, locale: mailLocale(languageOf(this)), ...(this.redirect ? { redirect: this.redirect } : {}) };
  }

  /** The server started an attempt (password or passkey): its mail is on the way. */
  #accepted(email: string, accepted: SignUpAccepted, method: 'password' | 'passkey'): void {
    this.#codeStep.value?.reset();
    this.attempt = { email, id: accepted.attempt, mailHeld: accepted.mailHeld === true };
    this.#form.nextStep();
    this.emit('perso-signed-up', { email, method });
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    // What a sent sign-up shows next, fetched while the server answers.
    this.#codeStep.load();
    const outcome = await this.#form.submit((email, password) => this.client.signUp({ email, password, ...this.#attemptOptions() }));
    if (outcome.status === 'done') this.#accepted(outcome.email, outcome.value, 'password');
  };

  /** The passkey is for the typed email; like a password, it becomes the account's once that email is verified. */
  async #signUpWithPasskey(passkey: PasskeySignUp): Promise<void> {
    if (passkey.busy || this.#form.busy) return;
    this.#form.clear();
    if (!this.#form.validate(['email'])) return;
    const email = this.#form.email;
    this.#codeStep.load();
    try {
      this.#accepted(email, await passkey.run({ email, ...this.#attemptOptions() }), 'passkey');
    } catch (error) {
      await this.#form.fail(error);
    }
  }

  #onSignOut = async (): Promise<void> => {
    if (!(await this.#form.signOut(this.#signOut))) return;
    this.attempt = undefined;
    this.#form.nextStep();
  };

  /**
   * What the card said belongs to the session that just began or ended. A session that
   * appeared while this sign-up waited means it was verified, here or in another tab.
   */
  #sessionChanged(user: User | null): void {
    this.#form.clear();
    if (!user) {
      // The "Sign out" button that had focus is gone with the signed-in step.
      void restoreFocus(this, ['.heading']);
      return;
    }
    if (!this.attempt) return;
    this.attempt = undefined;
    this.#form.nextStep();
    this.emit('perso-signed-in', { user });
  }

  #verify = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    // Success shows through the session change; a wrong code is on the field already.
    const code = this.#codeStep.value?.code;
    if (this.attempt && code) await this.#form.verify(code, this.attempt.id);
  };

  #changeEmail = (): void => {
    this.attempt = undefined;
    this.#form.clear();
    this.#codeStep.value?.resend.reset();
    void this.#form.focusField('email');
  };

  get #methodsView(): MethodsView {
    const passkey = this.#passkey;
    return {
      purpose: 'sign-up',
      labels: { heading: 'signup.heading', passkey: 'signup.passkey', submit: 'signup.submit', busy: 'signup.busy' },
      form: this.#form,
      passkey: passkey && {
        busy: passkey.busy,
        icon: passkey.icon,
        prepare: () => passkey.prepare(this.#form.email, this.organization),
        start: () => void this.#signUpWithPasskey(passkey),
      },
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

  get #step(): Step {
    const step = this.#gate.step;
    if (step !== 'ready') return step;
    return this.attempt ? 'check-inbox' : 'form';
  }

  protected override willUpdate(): void {
    const waiting = this.#step === 'check-inbox';
    if (waiting) this.#poll.load();
    if (this.#poll.value) this.#poll.value.active = waiting;
    if (this.attempt || this.#form.returnedAttempt) this.#codeStep.load();
  }

  override render(): TemplateResult {
    const t = this.localize.t;
    return this.#gate.renderCard(t, {
      heading: t.term('signup.heading'),
      signedIn: (user) => this.#signOut.render(t, user, this.#onSignOut, this.#form.alert),
      ready: () => (this.attempt ? this.#renderCheckInbox(this.attempt) : renderMethods(t, this.#gate.config!, this.#methodsView)),
    });
  }

  #renderCheckInbox({ email, id, mailHeld }: Attempt): TemplateResult {
    const step = this.#codeStep.value;
    return html`
      <div class="badge" aria-hidden="true">${mailIcon}</div>
      ${renderHeader(this.localize.t.term('signup.checkInbox'))}
      ${step
        ? html`<p class="lead">${this.localize.t.term('signup.sentTo', { email })}</p>
            ${mailHeld ? renderStatus(this.localize.t.term('auth.mailHeld')) : nothing}`
        : nothing}
      ${this.#form.alert ? renderAlert(this.#form.alert) : nothing}
      ${step ? step.renderCodeForm(this.localize.t, this.#verify) : renderLoading(this.localize.t)}
      <div class="stack after-code">
        ${step?.renderResend(email, id) ?? nothing}
        <button type="button" class="link" part="button change-email-button" @click=${this.#changeEmail}>${this.localize.t.term('signup.changeEmail')}</button>
      </div>
    `;
  }
}

customElements.get('perso-signup') || customElements.define('perso-signup', PersoSignup);

declare global {
  interface HTMLElementTagNameMap {
    'perso-signup': PersoSignup;
  }
}
