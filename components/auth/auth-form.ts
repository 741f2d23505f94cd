import type { LitElement, ReactiveController } from 'lit';
import type { PersoErrorDetail } from '../base/events.js';
import { loadErrorMessages, type Localized } from '../base/localize.js';
import { ApiError } from '../client/api-error.js';
import type { PersoClient } from '../client/api-client.js';
import type { SocialProvider, User } from '../client/types.js';
import { CooldownController } from './cooldown.js';
import { type CredentialField, CredentialFields } from './credentials.js';
import { describeCode, describeError, describeFailure } from './errors.js';
import { StepFocus, restoreFocus } from './focus.js';
import { isAborted } from './passkey-support.js';
import { oauthStartUrl } from './config.js';
import { currentPage, leaveForProvider, takeSocialReturn } from './social-return.js';
import type { SignOutAction } from './sign-out.js';
import type { VerificationCode } from './verification-code.js';

/** How long to hold the submit button after a 429 that came without Retry-After. */
const DEFAULT_RETRY_SECONDS = 60;

/**
 * What a submission came to. `invalid`: a field is wrong, said under it, focus on it, nothing
 * sent. `failed`: the server refused; the message is already on its field or in the alert,
 * focus has moved, and `perso-error` has been sent.
 */
export type SubmitOutcome<T> =
  | { status: 'done'; value: T; email: string }
  | { status: 'invalid' }
  | { status: 'failed'; error: PersoErrorDetail; cause: unknown; email: string };

export interface AuthFormOptions {
  purpose: 'sign-up' | 'sign-in';
  /** Sends `perso-error` from the element; every failure this controller handles is reported. */
  report(detail: PersoErrorDetail): void;
}

/**
 * The state of an auth card's forms, shared by sign-up and sign-in: the email and password
 * fields, the form-wide alert, whether a submission is under way, a rate limit's countdown,
 * and where focus goes. The element renders; this holds what it renders and answers each
 * action with its outcome, so the element decides what comes next without callbacks.
 *
 * The alert belongs to the state that caused it: the element calls `clear()` when that state
 * ends (a new step, a session change).
 */
export class AuthForm implements ReactiveController {
  /** Rendered by the element (`fields.render()`); changed only through this controller. */
  readonly fields: CredentialFields;
  busy = false;
  /** Back from a provider that did not vouch for the email: the attempt waiting for its code. */
  returnedAttempt?: string;
  #alert?: string;
  /**
   * Why the last provider round trip failed, until the person does something else. Kept apart
   * from `#alert`: a session check at load must not clear it. Translated at render time (the
   * language pack may still be loading at connect).
   */
  #returnedError?: () => string;
  readonly #rateLimit: CooldownController;
  readonly #focus: StepFocus;

  constructor(
    private readonly host: LitElement & Localized,
    private readonly options: AuthFormOptions,
  ) {
    this.fields = new CredentialFields(host, options.purpose);
    this.#focus = new StepFocus(host);
    this.#rateLimit = new CooldownController(host, {
      // The countdown's sentence goes with it, and the button it held is usable again.
      ended: () => {
        this.clear();
        void restoreFocus(host, ['button[type=submit]']);
      },
    });
    host.addController(this);
  }

  hostConnected(): void {
    const { error, attempt } = takeSocialReturn(this.host.localName);
    this.returnedAttempt = attempt;
    if (!error) return;
    const message = () => describeCode(error, this.host.localize.t);
    this.#returnedError = message;
    // Reported once the sentences of error codes are in (the alert shows it in the meantime,
    // while the card still waits for its config), and in a later task: the page's own
    // listeners, added by scripts that run after the kit's (the element connects as soon as it
    // is defined), would miss an event sent now.
    void loadErrorMessages().then(() => {
      this.host.requestUpdate();
      setTimeout(() => this.options.report({ code: error, message: message() }));
    });
  }

  /** The alert's sentence: the last failure's, else the last provider round trip's. */
  get alert(): string | undefined {
    return this.#alert ?? this.#returnedError?.();
  }

  /**
   * While a 429's Retry-After runs: "Try again in 42 seconds", counting down, for the form
   * whose submit button it holds (it replaces the alert there).
   */
  get countdown(): string | undefined {
    const seconds = this.#rateLimit.remaining;
    return seconds > 0 ? describeCode('rate_limited', this.host.localize.t, { retryAfter: seconds }) : undefined;
  }

  /** Submitting waits for the countdown. */
  get rateLimited(): boolean {
    return this.#rateLimit.active;
  }

  /** The email as it will be sent: what was typed, without surrounding spaces. */
  get email(): string {
    return this.fields.address;
  }

  /** Ends what the last attempt left on screen (not a running countdown). */
  clear(): void {
    this.#alert = undefined;
    this.host.requestUpdate();
  }

  /** Shows a sentence of the element's own in the alert (e.g. "Your session ended"). */
  say(message: string): void {
    this.#alert = message;
    this.host.requestUpdate();
  }

  /** Checks `fields` (both unless told), showing what is wrong and focusing the first bad one. */
  validate(fields?: CredentialField[]): boolean {
    return this.fields.validate(fields);
  }

  clearPassword(): void {
    this.fields.password = '';
    this.host.requestUpdate();
  }

  focusField(field: CredentialField): Promise<void> {
    return this.fields.focus(field);
  }

  /** The next render shows a new step: focus its heading, and forget the old step's alert. */
  nextStep(): void {
    this.#alert = undefined;
    this.#focus.headingAfterUpdate();
    this.host.requestUpdate();
  }

  /** After a failure off the fields: the submit button, else the alert, else the heading. */
  keepFocus(): Promise<void> {
    return this.#focus.keep();
  }

  /**
   * Validates `fields`, then sends them while `busy`. The password is cleared once the server
   * accepts; a refusal is placed (`fail()`).
   */
  async submit<T>(send: (email: string, password: string) => Promise<T>, fields?: CredentialField[]): Promise<SubmitOutcome<T>> {
    if (this.busy || this.#rateLimit.active) return { status: 'invalid' };
    this.#forgetReturn();
    this.#alert = undefined;
    if (!this.validate(fields)) return { status: 'invalid' };
    const email = this.email;
    this.#setBusy(true);
    try {
      const value = await send(email, this.fields.password);
      this.fields.password = '';
      return { status: 'done', value, email };
    } catch (cause) {
      // Not busy before the failure is placed: focus goes back to the submit button, enabled again.
      this.#setBusy(false);
      return { status: 'failed', error: (await this.fail(cause)) ?? describeError(cause, this.host.localize.t), cause, email };
    } finally {
      this.#setBusy(false);
    }
  }

  /**
   * Shows why a request failed and reports it: a 422's messages under their fields (others in
   * the alert), everything else in the alert, with focus back where the person can try again;
   * a 429 also holds the submit button for its Retry-After; a wrong password is cleared and
   * focused. A passkey ceremony cut short by another one is nobody's news: undefined.
   */
  async fail(error: unknown): Promise<PersoErrorDetail | undefined> {
    if (isAborted(error)) return undefined;
    const detail = await describeFailure(error, () => this.host.localize.t);
    if (error instanceof ApiError && error.code === 'rate_limited') this.#rateLimit.start(error.retryAfter ?? DEFAULT_RETRY_SECONDS);
    const t = this.host.localize.t;
    // The server writes field messages in English; other languages get the kit's own.
    const fields = error instanceof ApiError ? Object.fromEntries(Object.entries(error.fields).map(([name, message]) => [name, t.field(name, message)])) : {};
    const onFields = Object.keys(fields).length > 0;
    // Each focus move waits for the render that shows the message: request it first.
    this.host.requestUpdate();
    if (onFields) {
      const unplaced = this.fields.showServerErrors(fields);
      this.#alert = unplaced.length > 0 ? unplaced.join(' ') : undefined;
    } else {
      this.#alert = detail.message;
      if (detail.code === 'invalid_credentials') this.fields.password = '';
      void (detail.code === 'invalid_credentials' ? this.focusField('password') : this.keepFocus());
    }
    this.options.report(detail);
    return detail;
  }

  /** Completes a sign-up attempt with the typed code; the user once it is accepted. */
  async verify(code: VerificationCode, attempt: string): Promise<User | undefined> {
    if (code.busy) return undefined;
    this.clear();
    const outcome = await code.submit(attempt);
    if ('user' in outcome) {
      this.#forgetReturn();
      this.host.requestUpdate();
      return outcome.user;
    }
    if ('error' in outcome) {
      // A wrong code is said under the field already.
      if (!outcome.onField) {
        // The returned attempt's code form gives way to the alert.
        if (attempt === this.returnedAttempt) this.returnedAttempt = undefined;
        this.say(outcome.error.message);
        void this.keepFocus();
      }
      this.options.report(outcome.error);
    }
    return undefined;
  }

  /**
   * Leaves for a social provider's sign-in (through `navigate`, the element's seam for tests
   * and hosts); what this card showed belongs to the page being left.
   */
  continueWith(provider: SocialProvider, client: PersoClient, organization: string, navigate: (url: string) => void): void {
    this.#forgetReturn();
    this.#alert = undefined;
    leaveForProvider(this.host.localName, () => navigate(oauthStartUrl(client, provider.id, organization, currentPage())));
  }

  /** Signs out through the signed-in step's button; true once signed out, else the failure is shown. */
  async signOut(action: SignOutAction): Promise<boolean> {
    this.clear();
    const failure = await action.run();
    if (failure) this.fail(failure.error);
    return !failure;
  }

  #forgetReturn(): void {
    this.returnedAttempt = undefined;
    this.#returnedError = undefined;
  }

  #setBusy(busy: boolean): void {
    this.busy = busy;
    this.host.requestUpdate();
  }
}
