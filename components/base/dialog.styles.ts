import { css } from 'lit';

/** The confirmation dialog (a modal `<dialog class="dialog">`) that deletes and removals share. */
export const dialog = css`
  .dialog {
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 1.5);
    padding: calc(var(--_space) * 1.5);
    width: min(28rem, calc(100vw - 2rem));
    box-shadow: 0 20px 50px rgb(0 0 0 / 0.25);
  }
  .dialog::backdrop {
    background: rgb(15 23 42 / 0.45);
  }
  .dialog .title {
    font-size: 1.125rem;
    overflow-wrap: anywhere;
  }
  .dialog-body {
    color: var(--_muted);
    margin: 0.5rem 0 calc(var(--_space) * 1.25);
  }
  .dialog .alert {
    margin-block: 0 var(--_space);
  }
  .dialog-actions {
    display: flex;
    justify-content: flex-end;
    gap: 0.5rem;
  }
`;
