import { css } from 'lit';

/** The card and what it shows before the passkeys arrive; the list is styled by `passkey-list.styles.ts`. */
export const styles = css`
  :host {
    display: block;
    container-type: inline-size;
  }
  .card {
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: calc(var(--_space) * 1.25);
    display: grid;
    gap: var(--_space);
  }
  .lead {
    color: var(--_muted);
    margin: 0;
  }
  .spinner {
    margin-inline-end: 0.5em;
  }
`;
