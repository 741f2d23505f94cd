import { html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from '../base/localize.js';
import type { MessageKey } from '../base/translations/en.js';
import type { OrganizationConfig, SocialProvider } from '../client/types.js';
import type { AuthForm } from './auth-form.js';
import { passkeysSupported } from './passkey-support.js';
import type { CodeStep } from './code-step.js';
import { renderAlert, renderAlternatives, renderDivider, renderHeader, renderLoading, renderStatus } from './views.js';

/** The card's own words, as keys: looked up at render time so a language change applies. */
export interface MethodLabels {
  heading: MessageKey;
  passkey: MessageKey;
  submit: MessageKey;
  busy: MessageKey;
}

/** The passkey button's ceremony (see passkey-flow.ts); without it no passkey button shows. */
export interface PasskeyButton {
  busy: boolean;
  icon: TemplateResult;
  start(): void;
  /** The button is about to be pressed (hover, focus): fetch its options ahead. */
  prepare(): void;
}

export interface MethodsView {
  purpose: 'sign-up' | 'sign-in';
  labels: MethodLabels;
  form: AuthForm;
  passkey?: PasskeyButton;
  onSubmit(event: SubmitEvent): void;
  onSocial(provider: SocialProvider): void;
  /** Back from a provider that did not vouch for the email: the code form for the waiting attempt (once loaded). */
  returnedCode?: CodeStep;
  onVerifyReturned(event: SubmitEvent, attempt: string): void;
  /** Under the submit button, e.g. "Forgot password?". */
  footer?: TemplateResult;
}

/** Whether the passkey method shows: enabled by the organization and possible in this browser. */
export function passkeyOffered(config: OrganizationConfig, ceremony: unknown): boolean {
  return config.methods.passkey && ceremony !== undefined && passkeysSupported();
}

/**
 * The first step of a sign-up or sign-in card: the methods the organization enables (a
 * passkey, social providers, the email and password form).
 * Parts: those of `renderHeader`, `renderAlert`, `renderAlternatives`, `renderDivider` and
 * `CredentialFields.render`, and `form`, `button`, `button-primary`, `submit-button`.
 */
export function renderMethods(t: Localizer, config: OrganizationConfig, view: MethodsView): TemplateResult {
  const { form, labels, passkey, purpose } = view;
  const { password, social } = config.methods;
  const offered = passkeyOffered(config, passkey);
  const busy = form.busy || (passkey?.busy ?? false);
  const alternatives = renderAlternatives(t, {
    passkey: passkey && offered ? { label: t.term(labels.passkey), icon: passkey.icon, busy: passkey.busy, onClick: () => passkey.start(), onPrepare: () => passkey.prepare() } : undefined,
    social,
    disabled: busy,
    onSocial: view.onSocial,
  });
  return html`
    ${renderHeader(t.term(labels.heading), t.term('auth.subtitle', { organization: config.organization.name }))}
    ${renderFormAlert(t, view)}
    ${alternatives}
    ${!password && purpose === 'sign-up' && passkey && offered ? renderPasskeyEmailForm(form, busy, passkey) : nothing}
    ${alternatives !== nothing && password ? renderDivider(t) : nothing}
    ${password ? renderPasswordForm(t, view, busy, purpose === 'sign-in' && offered) : nothing}
    ${!password && alternatives === nothing ? html`<p class="lead">${t.term('auth.noMethods')}</p>` : nothing}
  `;
}

/**
 * For a signed-in person: the providers they can add. The server links the provider to the
 * session's account; a refusal (`identity_in_use`) comes back here, so it shows here too.
 */
export function renderLinking(t: Localizer, config: OrganizationConfig, view: MethodsView): TemplateResult | typeof nothing {
  if (config.methods.social.length === 0) return nothing;
  // The alert (e.g. a refused link, `identity_in_use`) shows above, in the signed-in step.
  return html`
    <p class="lead">${t.term('social.linkLead')}</p>
    ${renderAlternatives(t, { social: config.methods.social, disabled: false, onSocial: view.onSocial })}
  `;
}

/** The alert (a countdown is announced once, not at each tick), else the returned attempt's code form. */
function renderFormAlert(t: Localizer, { form, returnedCode, onVerifyReturned }: MethodsView): TemplateResult | typeof nothing {
  const countdown = form.countdown;
  if (countdown) return renderAlert(countdown, { countdown: true });
  const alert = form.alert;
  if (alert) return renderAlert(alert);
  const attempt = form.returnedAttempt;
  if (!attempt) return nothing;
  return returnedCode
    ? html`${renderStatus(t.term('social.verifyEmail'))}${returnedCode.renderCodeForm(t, (event) => onVerifyReturned(event, attempt))}`
    : renderLoading(t);
}

/**
 * A passkey sign-up still needs the email it verifies: without the password method, the email
 * field stands alone above the passkey button, and Enter in it starts the passkey.
 */
function renderPasskeyEmailForm(form: AuthForm, busy: boolean, passkey: PasskeyButton): TemplateResult {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    passkey.start();
  };
  return html`<form part="form" novalidate aria-busy=${busy ? 'true' : 'false'} @submit=${submit}>${form.fields.render({ busy, withPassword: false })}</form>`;
}

/** `webauthn`: the email field also offers passkeys in its autofill. */
function renderPasswordForm(t: Localizer, { form, labels, onSubmit, footer }: MethodsView, busy: boolean, webauthn: boolean): TemplateResult {
  return html`
    <form part="form" novalidate aria-busy=${form.busy ? 'true' : 'false'} @submit=${onSubmit}>
      ${form.fields.render({ busy, webauthn })}
      <button type="submit" class="primary block" part="button button-primary submit-button" ?disabled=${busy || form.rateLimited}>
        ${form.busy ? html`<span class="spinner" aria-hidden="true"></span>${t.term(labels.busy)}` : t.term(labels.submit)}
      </button>
      ${footer ?? nothing}
    </form>
  `;
}
