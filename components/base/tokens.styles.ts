import { css } from 'lit';

/**
 * Design tokens. Every look is a `--perso-*` custom property so hosts theme the kit from
 * outside; light by default, dark from `prefers-color-scheme` or `theme="dark"`.
 */
/** The dark palette, applied by the system preference or by `theme="dark"`. */
const dark = css`
  --_bg: var(--perso-color-background, #111827);
  --_fg: var(--perso-color-text, #f9fafb);
  --_muted: var(--perso-color-muted, #9ca3af);
  --_border: var(--perso-color-border, #374151);
  --_primary: var(--perso-color-primary, #818cf8);
  --_on-primary: var(--perso-color-on-primary, #111827);
  --_danger: var(--perso-color-danger, #f87171);
  --_on-danger: var(--perso-color-on-danger, #111827);
  --_success: var(--perso-color-success, #34d399);
  --_surface: var(--perso-color-surface, #1f2937);
  color-scheme: dark;
`;

export const tokens = css`
  :host {
    --_bg: var(--perso-color-background, #ffffff);
    --_fg: var(--perso-color-text, #111827);
    --_muted: var(--perso-color-muted, #6b7280);
    --_border: var(--perso-color-border, #d1d5db);
    --_primary: var(--perso-color-primary, #4f46e5);
    --_on-primary: var(--perso-color-on-primary, #ffffff);
    --_danger: var(--perso-color-danger, #b91c1c);
    --_on-danger: var(--perso-color-on-danger, #ffffff);
    --_success: var(--perso-color-success, #047857);
    --_surface: var(--perso-color-surface, #f9fafb);
    --_radius: var(--perso-radius, 0.5rem);
    --_font: var(--perso-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_space: var(--perso-spacing, 1rem);
    --_focus: var(--perso-color-focus, #6366f1);
    display: block;
    box-sizing: border-box;
    color: var(--_fg);
    background: var(--_bg);
    font-family: var(--_font);
    font-size: var(--perso-font-size, 1rem);
    line-height: 1.5;
    color-scheme: light;
    /* Inherited text properties reset, so the host page's italics, spacing or alignment stay outside. */
    font-style: normal;
    font-weight: 400;
    font-variant: normal;
    letter-spacing: normal;
    word-spacing: normal;
    text-align: start;
    text-indent: 0;
    text-transform: none;
    text-shadow: none;
    white-space: normal;
    overflow-wrap: normal;
    /* Korean wraps between words, not inside them ("확인하세요" stays whole); no effect on English. */
    word-break: keep-all;
  }
  :host([hidden]) {
    display: none;
  }
  /* Not inherited from the host: a page's * { box-sizing: content-box } must not reach in. */
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  /* Windows high contrast and other forced palettes: keep every control's edge visible. */
  @media (forced-colors: active) {
    button,
    input,
    .alert,
    .notice {
      border: 1px solid ButtonText;
    }
    :focus-visible {
      outline-color: Highlight;
    }
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
`;
