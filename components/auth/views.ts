import { html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from '../base/localize.js';
import type { SocialProvider, User } from '../client/types.js';

/** The providers' marks (provider-marks.ts, a chunk): loaded by the gate for an organization with social sign-in. */
let marks: typeof import('./provider-marks.js') | undefined;

export async function loadProviderMarks(): Promise<void> {
  marks ??= await import('./provider-marks.js');
}

/**
 * The step's heading; focusable so a step change can move focus to it. A div, not a
 * `<header>`: in a shadow root that would be a page-level banner landmark.
 * Parts: `heading`, `subtitle`.
 */
export function renderHeader(heading: string, subtitle?: string): TemplateResult {
  return html`
    <div class="header">
      <h2 class="heading" part="heading" tabindex="-1">${heading}</h2>
      ${subtitle ? html`<p class="subtitle" part="subtitle">${subtitle}</p>` : nothing}
    </div>
  `;
}

/** Parts: `status`. */
export function renderLoading(t: Localizer): TemplateResult {
  return html`<div class="loading" role="status" part="status"><span class="spinner" aria-hidden="true"></span>${t.term('auth.loading')}</div>`;
}

/**
 * Focusable so focus can rest on it while the button it is about cannot be used (a cooldown).
 * A `countdown` alert is announced when it appears, not again at every tick of its number.
 * Parts: `error`, `alert`.
 */
export function renderAlert(message: string, options: { countdown?: boolean } = {}): TemplateResult {
  return html`<div class="alert" role="alert" part="error alert" tabindex="-1" aria-live=${options.countdown ? 'off' : nothing}>${message}</div>`;
}

/** Parts: `status`. */
export function renderStatus(message: string): TemplateResult {
  return html`<p class="notice" role="status" part="status">${message}</p>`;
}

/** Parts: `error`, `alert`, `button`, `button-secondary`, `retry-button`. */
export function renderConfigError(t: Localizer, message: string, retry: () => void): TemplateResult {
  return html`
    ${renderAlert(`${t.term('auth.configError')} ${message}`)}
    <button type="button" class="block" part="button button-secondary retry-button" @click=${retry}>${t.term('auth.retry')}</button>
  `;
}

/**
 * Passkey and social buttons: the methods that need no password.
 * Parts: `alternatives`, `button`, `button-secondary`, `passkey-button`, `social-button`.
 */
export function renderAlternatives(t: Localizer, options: {
  /** `onPrepare`: the button is about to be pressed (hover, focus), to fetch options ahead. */
  passkey?: { label: string; icon: TemplateResult; busy: boolean; onClick: () => void; onPrepare: () => void };
  social: SocialProvider[];
  disabled: boolean;
  onSocial: (provider: SocialProvider) => void;
}): TemplateResult | typeof nothing {
  const { passkey, social, disabled, onSocial } = options;
  if (!passkey && social.length === 0) return nothing;
  return html`
    <div class="alternatives" part="alternatives">
      ${passkey
        ? html`<button
            type="button"
            class="block"
            part="button button-secondary passkey-button"
            ?disabled=${disabled}
            aria-busy=${passkey.busy ? 'true' : 'false'}
            @click=${passkey.onClick}
            @pointerenter=${passkey.onPrepare}
            @focus=${passkey.onPrepare}
          >
            ${passkey.busy ? html`<span class="spinner" aria-hidden="true"></span>` : passkey.icon}${passkey.label}
          </button>`
        : nothing}
      ${social.map(
        (provider) => html`<button
          type="button"
          class="block"
          part="button button-secondary social-button"
          data-provider=${provider.id}
          ?disabled=${disabled}
          @click=${() => onSocial(provider)}
        >
          ${marks?.providerMark(provider.id, provider.name, (name) => t.term('social.mark', { provider: name })) ?? nothing}${t.term('social.continue', { provider: provider.name })}
        </button>`,
      )}
    </div>
  `;
}

/** Parts: `divider`. */
export function renderDivider(t: Localizer): TemplateResult {
  return html`<p class="divider" part="divider"><span>${t.term('auth.or')}</span></p>`;
}

/** "Signed in as" and "Sign out". Parts: `heading`, `error`, `alert`, `button`, `button-secondary`, `sign-out-button`. */
export function renderSignedIn(t: Localizer, user: User, busy: boolean, onSignOut: () => void, error?: string): TemplateResult {
  return html`
    <div class="badge" aria-hidden="true">${user.email.charAt(0).toUpperCase()}</div>
    ${renderHeader(t.term('auth.signedInAs', { email: user.email }))}
    ${error ? renderAlert(error) : nothing}
    <button type="button" class="block" part="button button-secondary sign-out-button" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'} @click=${onSignOut}>
      ${busy ? t.term('auth.signingOut') : t.term('auth.signOut')}
    </button>
  `;
}

/** The envelope shown above every "check your inbox" step. */
export const mailIcon = html`<svg viewBox="0 0 24 24" focusable="false">
  <rect x="3" y="5" width="18" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="2" />
  <path d="M3 7l9 6 9-6" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
</svg>`;
