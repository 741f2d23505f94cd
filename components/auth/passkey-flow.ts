import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { PersoClient } from '../client/api-client.js';
import { ApiError } from '../client/api-error.js';
import type { PasskeyCreationOptions, PasskeyRequestOptions, SignUpAccepted, User } from '../client/types.js';
import { cancelPasskeyCeremony, createPasskey, passkeyAutofillSupported, signalRemovedPasskey, usePasskey } from './passkey.js';
import { isAborted } from './passkey-support.js';

/** The passkey buttons' mark: here, so pages without passkeys never load it. */
const keyIcon = html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <g fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <circle cx="15.5" cy="8.5" r="5.5" />
    <path d="M11.6 12.4 3 21m3-3 2 2m1-5 2 2" />
  </g>
  <circle cx="16.5" cy="7.5" r="1.25" fill="currentColor" />
</svg>`;

/** Options fetched ahead are used while well inside the server's 5-minute challenge lifetime. */
const FRESH_MS = 4 * 60_000;

/**
 * Options fetched before the click, so that the ceremony starts within the click's user
 * activation: Safari refuses a WebAuthn call that waits on a slow request after the gesture.
 */
class Prefetched<T> {
  #entry?: { key: string; at: number; options: Promise<T> };

  take(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#entry;
    this.#entry = undefined;
    // Each challenge works once: a used one is never handed out again.
    return entry && entry.key === key && Date.now() - entry.at < FRESH_MS ? entry.options : load();
  }

  prepare(key: string, load: () => Promise<T>): void {
    if (this.#entry?.key === key && Date.now() - this.#entry.at < FRESH_MS) return;
    const options = load();
    options.catch(() => undefined);
    this.#entry = { key, at: Date.now(), options };
  }
}

/** "Sign up with a passkey": options for the typed email, the authenticator, then an attempt like a password sign-up's. */
export class PasskeySignUp {
  busy = false;
  readonly icon: TemplateResult = keyIcon;
  #options = new Prefetched<PasskeyCreationOptions>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => PersoClient,
  ) {}

  /** Called when the button is about to be pressed (hover, focus). */
  prepare(email: string, organization: string): void {
    if (!email.includes('@')) return;
    this.#options.prepare(`${organization}|${email}`, () => this.client().passkeySignUpOptions(email, organization));
  }

  async run(input: { email: string; organization: string; locale?: 'en' | 'ko'; redirect?: string }): Promise<SignUpAccepted> {
    this.#setBusy(true);
    try {
      const { email, organization, ...rest } = input;
      const options = await this.#options.take(`${organization}|${email}`, () => this.client().passkeySignUpOptions(email, organization));
      const response = await createPasskey(options);
      return await this.client().passkeySignUp({ email, response, ...rest });
    } finally {
      this.#setBusy(false);
    }
  }

  #setBusy(busy: boolean): void {
    this.busy = busy;
    this.host.requestUpdate();
  }
}

export interface PasskeySignInOptions {
  organization(): string;
  signedIn(user: User): void;
  /** A refusal worth showing; ceremonies cut short by another method are not reported. */
  failed(error: unknown): void;
}

/**
 * "Sign in with a passkey" and the passkey offers in the email field's autofill. The element
 * says when autofill is wanted (the form is showing and nothing else is under way); it is
 * cancelled when that stops, when the element leaves the page, and by any other ceremony.
 */
export class PasskeySignIn implements ReactiveController {
  busy = false;
  readonly icon: TemplateResult = keyIcon;
  #options = new Prefetched<PasskeyRequestOptions>();
  #autofill = false;
  #wanted = false;
  #connected = false;
  /** We are ending our own autofill (e.g. for a password sign-in): it may come back afterwards. */
  #cancelling = false;
  /**
   * Whether autofill may start when wanted. It goes off when autofill ends in a way a retry
   * would repeat (no support, no network) or because another ceremony on the page took over
   * (another element's: restarting would cancel theirs, and theirs ours, forever); the button
   * and a refusal by the server turn it back on.
   */
  #armed = true;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => PersoClient,
    private readonly options: PasskeySignInOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    this.#armed = true;
  }

  hostDisconnected(): void {
    this.autofill(false);
    this.#connected = false;
  }

  /** Fetches the button's options ahead of the click. */
  prepare(): void {
    const organization = this.options.organization();
    this.#options.prepare(organization, () => this.client().passkeySignInOptions(organization));
  }

  /** Starts or stops the autofill ceremony; call it on every update with whether it is wanted now. */
  autofill(wanted: boolean): void {
    this.#wanted = wanted;
    if (wanted && this.#connected && this.#armed && !this.#autofill && !this.busy) void this.#runAutofill();
    // The button's ceremony ends autofill by itself; cancelling here could end the button's instead.
    else if (!wanted && this.#autofill && !this.busy && !this.#cancelling) {
      this.#cancelling = true;
      void cancelPasskeyCeremony();
    }
  }

  /** The button: a discoverable passkey, chosen in the browser's dialog. */
  async start(): Promise<void> {
    this.busy = true;
    this.host.requestUpdate();
    try {
      const organization = this.options.organization();
      const options = await this.#options.take(organization, () => this.client().passkeySignInOptions(organization));
      await this.#signIn(options, false);
    } catch (error) {
      if (!isAborted(error)) this.options.failed(error);
    } finally {
      this.busy = false;
      this.#armed = true;
      this.host.requestUpdate();
    }
  }

  async #runAutofill(): Promise<void> {
    this.#autofill = true;
    try {
      if (!(await passkeyAutofillSupported())) {
        this.#armed = false;
        return;
      }
      const options = await this.client().passkeySignInOptions(this.options.organization());
      if (!this.#wanted || this.busy) return;
      await this.#signIn(options, true);
    } catch (error) {
      // The server refused the chosen passkey: say so, and offer the others again.
      if (error instanceof ApiError && error.status > 0) this.options.failed(error);
      else if (!isAborted(error) || !this.#cancelling) this.#armed = false;
    } finally {
      this.#autofill = false;
      this.#cancelling = false;
      // Ended by the server or another method: the element decides whether to offer it again.
      this.host.requestUpdate();
    }
  }

  async #signIn(options: PasskeyRequestOptions, autofill: boolean): Promise<void> {
    const response = await usePasskey(options, autofill);
    try {
      this.options.signedIn(await this.client().passkeySignIn(response));
    } catch (error) {
      // The browser offered a passkey this server no longer has: ask it to forget it.
      if (error instanceof ApiError && error.code === 'passkey_unknown' && options.rpId) void signalRemovedPasskey(options.rpId, response.id);
      throw error;
    }
  }
}
