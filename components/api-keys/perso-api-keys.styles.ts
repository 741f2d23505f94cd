import { css } from 'lit';

/**
 * What `<perso-api-keys>` shows before its keys arrive: the card, the signed-out, loading and
 * error states. The form and the table are styled by `key-list.styles.ts`, which loads with them.
 */
export const styles = css`
  :host {
    container-type: inline-size;
    background: transparent;
  }

  .base {
    display: grid;
    gap: var(--_space);
  }
  .card {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.05);
    margin: 0;
  }
  button.copy,
  button.ghost-danger,
  .load-error button {
    min-height: 2rem;
    padding: 0.25rem 0.75rem;
    font-size: 0.8125rem;
  }
  button:not(:disabled, [aria-disabled='true']):hover {
    filter: brightness(0.97);
  }

  /* States */
  .signed-out,
  .loading,
  .load-error {
    padding: calc(var(--_space) * 1.5);
    text-align: center;
  }
  .signed-out-message,
  .load-error p {
    margin: 0 0 var(--_space);
  }
  .session-ended {
    margin: 0 0 var(--_space);
    color: var(--_danger);
    font-weight: 600;
  }
  .signed-out-message:last-child {
    margin: 0;
  }
  ::slotted(*) {
    margin-inline: auto;
  }
  .load-error {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  .load-error button {
    color: var(--_fg);
  }
  .loading {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 0.75rem;
    color: var(--_muted);
  }
`;
