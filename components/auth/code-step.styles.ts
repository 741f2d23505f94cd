import { css } from 'lit';

/** The code step's own looks (code-step.ts): the code field, the space under it, its notices. */
export const codeStepStyles = css`
  .after-code {
    margin-block-start: var(--_space);
  }
  .code {
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.2em;
  }
  .notice {
    border: 1px solid var(--_success);
    color: var(--_success);
    background: color-mix(in srgb, var(--_success) 8%, transparent);
    border-radius: var(--_radius);
    padding: 0.5rem 0.75rem;
    font-size: 0.875rem;
  }
`;
