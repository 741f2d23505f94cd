import { html, nothing, type TemplateResult } from 'lit';
import type { AuthForm } from '../auth/auth-form.js';
import { renderAlert } from '../auth/views.js';
import { addEnglish, type Localizer } from '../base/localize.js';
import { resetEn } from '../base/translations/en-reset.js';

// Before these steps first render; a host's own overrides (`registerTranslation('en', …)`) still win.
addEnglish(resetEn);

/*
 * The bodies of `<perso-signin>`'s "Forgot password?" steps, under the headings the element
 * renders itself (so focus can land on them while this chunk loads). A chunk of its own: nobody
 * sees them before choosing "Forgot password?".
 */

/** The email field and "Send reset link". Parts: those of `CredentialFields.render`, `form`, `button`, `button-primary`, `reset-button`. */
export function renderForgot(
  t: Localizer,
  options: { form: AuthForm; busy: boolean; onSubmit: (event: SubmitEvent) => void; backLink: TemplateResult },
): TemplateResult {
  const { form, busy } = options;
  return html`
    <p class="lead">${t.term('reset.lead')}</p>
    ${form.alert ? renderAlert(form.alert) : nothing}
    <form part="form" novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${options.onSubmit}>
      ${form.fields.render({ busy, withPassword: false })}
      <button type="submit" class="primary block" part="button button-primary reset-button" ?disabled=${busy}>
        ${busy ? html`<span class="spinner" aria-hidden="true"></span>${t.term('reset.busy')}` : t.term('reset.submit')}
      </button>
      ${options.backLink}
    </form>
  `;
}

/** "If an account uses …, we sent it a link". */
export function renderResetSent(t: Localizer, email: string, backLink: TemplateResult): TemplateResult {
  return html`
    <p class="lead">${t.term('reset.sentLead', { email })}</p>
    <div class="stack">${backLink}</div>
  `;
}
