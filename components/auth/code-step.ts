import type { LitElement, TemplateResult } from 'lit';
import type { PersoErrorDetail } from '../base/events.js';
import { addEnglish, type Localized, type Localizer } from '../base/localize.js';
import { codeStepEn } from '../base/translations/en-code-step.js';
import type { PersoClient } from '../client/api-client.js';
import { addStyles } from '../base/screen.js';
import { codeStepStyles } from './code-step.styles.js';
import { ResendAction } from './resend.js';
import { VerificationCode, renderCodeForm } from './verification-code.js';

// Before this step first renders; a host's own overrides (`registerTranslation('en', …)`) still win.
addEnglish(codeStepEn);

/**
 * The "Verification code" field and the "Resend email" button of an auth card: what a card
 * shows once a sign-up is sent, or a sign-in meets an email not yet verified. A chunk of its
 * own (see `LazyCodeStep`), since neither shows before the person acts.
 */
export class CodeStep {
  readonly code: VerificationCode;
  readonly resend: ResendAction;

  constructor(host: LitElement & Localized, getClient: () => PersoClient, onError: (detail: PersoErrorDetail) => void) {
    this.code = new VerificationCode(host, getClient);
    this.resend = new ResendAction(host, getClient, onError);
    addStyles(host.renderRoot as ShadowRoot, [codeStepStyles]);
  }

  /** A new attempt: no typed code, no resend notice or cooldown from the last one. */
  reset(): void {
    this.resend.reset();
    this.code.reset();
  }

  renderCodeForm(t: Localizer, onSubmit: (event: SubmitEvent) => void): TemplateResult {
    return renderCodeForm(t, this.code, onSubmit);
  }

  renderResend(email: string, attempt?: string): TemplateResult {
    return this.resend.render(email, attempt);
  }
}
