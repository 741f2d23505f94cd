import { css } from 'lit';

/** The card layout shared by `<perso-signup>` and `<perso-signin>`. */
export const authStyles = css`
  :host {
    /* A host may centre its content; the card's own text stays aligned to the start. */
    text-align: start;
    width: 100%;
    max-width: var(--perso-max-width, 25rem);
    padding: calc(var(--_space) * 2);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    box-shadow: var(--perso-shadow, 0 1px 2px rgb(0 0 0 / 0.04), 0 8px 24px rgb(0 0 0 / 0.08));
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      box-shadow: var(--perso-shadow, 0 1px 2px rgb(0 0 0 / 0.3), 0 8px 24px rgb(0 0 0 / 0.4));
    }
  }
  :host([theme='dark']) {
    box-shadow: var(--perso-shadow, 0 1px 2px rgb(0 0 0 / 0.3), 0 8px 24px rgb(0 0 0 / 0.4));
  }

  .badge {
    display: grid;
    place-items: center;
    width: 3rem;
    height: 3rem;
    margin: 0 auto var(--_space);
    border-radius: 50%;
    font-weight: 700;
    font-size: 1.25rem;
    color: var(--_primary);
    background: color-mix(in srgb, var(--_primary) 12%, transparent);
  }
  .badge svg {
    width: 1.5rem;
    height: 1.5rem;
  }
  .header {
    text-align: center;
    margin-block-end: calc(var(--_space) * 1.5);
  }
  .heading {
    margin: 0;
    font-size: 1.25rem;
    line-height: 1.3;
    font-weight: 700;
    letter-spacing: -0.01em;
    overflow-wrap: anywhere;
  }
  .heading:focus {
    outline: none;
  }
  .heading:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 4px;
    border-radius: 2px;
  }
  .subtitle {
    margin: 0.25rem 0 0;
    color: var(--_muted);
    font-size: 0.875rem;
  }
  p {
    margin: 0 0 var(--_space);
  }
  .lead {
    color: var(--_muted);
    text-align: center;
    overflow-wrap: anywhere;
  }

  form {
    display: grid;
  }
  button.block {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    width: 100%;
  }
  button:not(:disabled):hover {
    filter: brightness(0.96);
  }
  button.primary:not(:disabled):hover {
    filter: brightness(1.08);
  }
  button[aria-busy='true'] {
    cursor: progress;
  }
  button.primary {
    margin-block-start: calc(var(--_space) * 0.5);
  }
  .stack {
    display: grid;
    gap: calc(var(--_space) * 0.75);
  }
  .stack > * {
    margin: 0;
  }
  button.link.forgot,
  form > button.link.back {
    justify-self: center;
    margin-block-start: calc(var(--_space) * 0.75);
    font-size: 0.875rem;
  }
  .alternatives {
    display: grid;
    gap: calc(var(--_space) * 0.5);
  }
  .icon {
    width: 1.125rem;
    height: 1.125rem;
    flex: none;
  }

  .hint {
    color: var(--_muted);
    font-size: 0.8125rem;
    margin: 0;
  }
  .password {
    position: relative;
  }
  .password input {
    padding-inline-end: 2.75rem;
  }
  .toggle {
    position: absolute;
    inset-block: 0.25rem;
    inset-inline-end: 0.25rem;
    min-height: auto;
    padding: 0 0.5rem;
    border: none;
    background: none;
    color: var(--_muted);
    display: inline-flex;
    align-items: center;
  }
  .toggle[aria-pressed='true'] {
    color: var(--_fg);
  }

  .divider {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    margin: calc(var(--_space) * 1.25) 0;
    color: var(--_muted);
    font-size: 0.8125rem;
    text-transform: lowercase;
  }
  .divider::before,
  .divider::after {
    content: '';
    flex: 1;
    border-block-start: 1px solid var(--_border);
  }

  .alert {
    font-size: 0.875rem;
    background: color-mix(in srgb, var(--_danger) 8%, transparent);
  }
  .loading {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    padding: calc(var(--_space) * 2) 0;
    color: var(--_muted);
  }
  /* The loading step's ring is larger than the one in a button. */
  .loading .spinner {
    width: 1.25rem;
    height: 1.25rem;
  }
  ::slotted([slot='footer']) {
    display: block;
    margin-block-start: var(--_space);
    text-align: center;
    font-size: 0.875rem;
  }
`;
