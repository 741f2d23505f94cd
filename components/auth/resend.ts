import { html, nothing, type LitElement } from 'lit';
import type { PersoErrorDetail } from '../base/events.js';
import type { Localized } from '../base/localize.js';
import type { PersoClient } from '../client/api-client.js';
import { ApiError } from '../client/api-error.js';
import { CooldownController } from './cooldown.js';
import { describeFailure } from './errors.js';
import { restoreFocus } from './focus.js';
import { renderAlert, renderStatus } from './views.js';

/** Seconds before another verification mail may be asked for, unless the server says otherwise. */
export const RESEND_COOLDOWN_SECONDS = 30;

/**
 * The "Resend email" button with its cooldown, its confirmation and its errors.
 * Parts (rendered by `render()`): `error`, `alert`, `status`, `button`, `button-secondary`, `resend-button`.
 */
export class ResendAction {
  notice?: string;
  error?: string;
  busy = false;
  readonly cooldown: CooldownController;

  constructor(
    private readonly host: LitElement & Localized,
    private readonly getClient: () => PersoClient,
    private readonly onError: (detail: PersoErrorDetail) => void,
  ) {
    this.cooldown = new CooldownController(host);
  }

  /** Re-sends the mail of `attempt` (else of the attempt the `perso_signup` cookie names). */
  async send(email: string, attempt?: string): Promise<void> {
    if (this.busy || this.cooldown.active) return;
    this.busy = true;
    this.notice = this.error = undefined;
    this.host.requestUpdate();
    try {
      const { mailHeld } = await this.getClient().resendVerification(attempt);
      this.notice = mailHeld ? this.host.localize.t.term('auth.mailHeld') : this.host.localize.t.term('auth.resent', { email });
      this.cooldown.start(RESEND_COOLDOWN_SECONDS);
    } catch (error) {
      const detail = await describeFailure(error, () => this.host.localize.t);
      this.error = detail.message;
      if (error instanceof ApiError && error.code === 'rate_limited') this.cooldown.start(error.retryAfter ?? RESEND_COOLDOWN_SECONDS);
      this.onError(detail);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
      // The button is disabled while busy and for the cooldown: the code field is what comes next.
      void restoreFocus(this.host, ['#code', '.heading']);
    }
  }

  reset(): void {
    this.notice = this.error = undefined;
    this.cooldown.stop();
  }

  render(email: string, attempt?: string) {
    const seconds = this.cooldown.remaining;
    return html`
      ${this.error ? renderAlert(this.error) : nothing}
      ${this.notice ? renderStatus(this.notice) : nothing}
      <button
        type="button"
        class="block"
        part="button button-secondary resend-button"
        ?disabled=${this.busy || seconds > 0}
        @click=${() => this.send(email, attempt)}
      >
        ${seconds > 0 ? this.host.localize.t.term('auth.resendCooldown', { seconds }) : this.host.localize.t.term('signup.resend')}
      </button>
    `;
  }
}
