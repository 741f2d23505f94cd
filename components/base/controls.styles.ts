import { css } from 'lit';

/** Inputs, buttons, field errors and alerts shared by every element. */
export const controls = css`
  .field {
    display: grid;
    gap: 0.25rem;
    margin-block-end: calc(var(--_space) * 0.75);
  }
  label {
    font-weight: 600;
    font-size: 0.875rem;
  }
  input,
  select {
    font: inherit;
    color: inherit;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  input {
    padding: 0.5rem 0.75rem;
    min-height: 2.5rem;
    width: 100%;
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    font-weight: 600;
    cursor: pointer;
    border-radius: var(--_radius);
    padding: 0.5rem 1rem;
    min-height: 2.5rem;
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: inherit;
  }
  button.primary {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_on-danger);
  }
  button.link {
    background: none;
    border: none;
    padding: 0;
    min-height: auto;
    color: var(--_primary);
    text-decoration: underline;
  }
  button:disabled,
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .field-error {
    color: var(--_danger);
    font-size: 0.875rem;
    margin: 0;
  }
  .alert {
    border: 1px solid var(--_danger);
    color: var(--_danger);
    border-radius: var(--_radius);
    padding: 0.5rem 0.75rem;
    margin-block-end: var(--_space);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  /* One progress ring: a primary arc on the border colour, or the text colour inside a button. */
  .spinner {
    display: inline-block;
    width: 1em;
    height: 1em;
    vertical-align: -0.125em;
    border: 2px solid var(--_border);
    border-block-start-color: var(--_primary);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  button .spinner {
    border-color: currentColor;
    border-block-start-color: transparent;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }
`;
