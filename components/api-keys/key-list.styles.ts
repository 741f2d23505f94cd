import { css } from 'lit';

/** The create form, the keys table and the show-once secret (the signed-in screen, `key-list.ts`). */
export const listStyles = css`
  :host {
    --_mono: var(--perso-font-family-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    --_warning: var(--perso-color-warning, #92400e);
    --_tint: color-mix(in srgb, var(--_primary) 4%, var(--_bg));
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      --_warning: var(--perso-color-warning, #fbbf24);
    }
  }
  :host([theme='dark']) {
    --_warning: var(--perso-color-warning, #fbbf24);
  }

  .title {
    font-size: 1rem;
    font-weight: 600;
    margin: 0;
  }
  .muted,
  .hint {
    color: var(--_muted);
  }
  .hint {
    font-size: 0.8125rem;
    margin: 0;
  }

  /* Create form */
  .create {
    padding: var(--_space) calc(var(--_space) * 1.25);
  }
  .create .title {
    margin-block-end: calc(var(--_space) * 0.75);
  }
  .create-fields {
    display: grid;
    grid-template-columns: minmax(0, 2fr) minmax(0, 1fr) auto;
    gap: 0 var(--_space);
    align-items: start;
  }
  .create-fields .field {
    margin: 0;
    min-width: 0;
  }
  .create-button {
    /* Lines the button up with the inputs, below their labels. */
    margin-block-start: calc(0.875rem * 1.5 + 0.25rem);
    white-space: nowrap;
  }
  .create .alert {
    margin: calc(var(--_space) * 0.75) 0 0;
  }
  @container (max-width: 40rem) {
    .create-fields {
      grid-template-columns: minmax(0, 1fr);
      gap: calc(var(--_space) * 0.75);
    }
    .create-button {
      margin: 0;
      justify-self: start;
    }
  }

  /* Table */
  .table-container {
    overflow-x: auto;
    overscroll-behavior-x: contain;
    /* Edge shadows that show only while there is more table to scroll to. */
    background:
      linear-gradient(to right, var(--_bg) 30%, transparent) left / 2rem 100% no-repeat local,
      linear-gradient(to left, var(--_bg) 30%, transparent) right / 2rem 100% no-repeat local,
      radial-gradient(farthest-side at 0 50%, rgb(0 0 0 / 0.14), transparent) left / 0.75rem 100% no-repeat scroll,
      radial-gradient(farthest-side at 100% 50%, rgb(0 0 0 / 0.14), transparent) right / 0.75rem 100% no-repeat scroll,
      var(--_bg);
  }
  .table-container:focus-visible {
    outline-offset: -2px;
  }
  .table-tools {
    /* Stays in view while a narrow host scrolls the table sideways. */
    position: sticky;
    inset-inline-start: 0;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: calc(var(--_space) * 0.5) calc(var(--_space) * 1.25);
    padding: calc(var(--_space) * 0.75) calc(var(--_space) * 1.25);
    border-block-end: 1px solid var(--_border);
    font-size: 0.875rem;
  }
  .table-tools label {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }
  .table-tools input[type='checkbox'] {
    width: 1rem;
    height: 1rem;
    min-height: 0;
    padding: 0;
    margin: 0;
    accent-color: var(--_primary);
  }
  .table-tools select {
    padding: 0.25rem 0.5rem;
  }
  .hidden-count {
    color: var(--_muted);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.875rem;
  }
  caption {
    text-align: start;
    padding: var(--_space) calc(var(--_space) * 1.25);
    border-block-end: 1px solid var(--_border);
  }
  .caption-text {
    /* Stays in view while a narrow host scrolls the table sideways. */
    position: sticky;
    inset-inline-start: calc(var(--_space) * 1.25);
  }
  th,
  td {
    text-align: start;
    padding: 0.75rem calc(var(--_space) * 0.75);
    border-block-end: 1px solid var(--_border);
    white-space: nowrap;
    vertical-align: middle;
  }
  th:first-child,
  td:first-child {
    padding-inline-start: calc(var(--_space) * 1.25);
  }
  th:last-child,
  td:last-child {
    padding-inline-end: calc(var(--_space) * 1.25);
  }
  thead th {
    background: var(--_surface);
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 600;
    letter-spacing: 0.04em;
    text-transform: uppercase;
    padding-block: 0.5rem;
  }
  tbody tr:last-child > * {
    border-block-end: none;
  }
  tbody tr:hover {
    background: color-mix(in srgb, var(--_surface) 70%, transparent);
  }
  tbody th {
    font-weight: 600;
    /* Names wrap rather than push the table wider than its host. */
    white-space: normal;
    overflow-wrap: break-word;
    min-width: 7rem;
    max-width: 16rem;
  }
  tr.new,
  tr.new:hover {
    background: var(--_tint);
  }
  tr.new > th {
    box-shadow: inset 3px 0 0 var(--_primary);
  }
  td.key {
    white-space: normal;
  }
  code {
    font-family: var(--_mono);
    font-size: 0.8125rem;
  }
  [part~='masked-key'] {
    color: var(--_muted);
    white-space: nowrap;
  }
  .actions {
    text-align: end;
    width: 1%;
  }
  .empty {
    text-align: center;
    color: var(--_muted);
    padding-block: calc(var(--_space) * 2.5);
  }

  /* Show-once secret */
  .secret-box {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.375rem 0.75rem;
  }
  .secret-line {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }
  .secret {
    font-size: 0.75rem;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) * 0.75);
    padding: 0.25rem 0.5rem;
    white-space: nowrap;
    user-select: all;
  }
  .warning {
    margin: 0.375rem 0 0;
    color: var(--_warning);
    font-size: 0.8125rem;
    max-width: 24rem;
  }
  .copy-feedback {
    color: var(--_success);
    font-size: 0.8125rem;
    font-weight: 600;
  }
  .copy-feedback:empty {
    display: none;
  }
  .copy-feedback.manual {
    flex-basis: 100%;
    color: var(--_fg);
    font-weight: 400;
    max-width: 24rem;
  }

    button.ghost-danger {
    padding-inline: 0.5rem;
    background: transparent;
    border-color: transparent;
    color: var(--_danger);
  }
  button.ghost-danger:hover {
    background: color-mix(in srgb, var(--_danger) 10%, transparent);
  }
.badge {
    display: inline-block;
    border-radius: 999px;
    padding: 0.125rem 0.5rem;
    font-size: 0.75rem;
    font-weight: 600;
  }
  .badge.expired {
    color: var(--_danger);
    background: color-mix(in srgb, var(--_danger) 12%, transparent);
  }

  .last-used {
    display: flex;
    align-items: center;
    gap: 0.625rem;
  }
  .sparkline-wrap {
    display: inline-flex;
  }
  .sparkline {
    display: block;
    flex: none;
    overflow: visible;
  }
  .sparkline .line {
    fill: none;
    stroke: var(--_primary);
    stroke-width: 1.5;
    stroke-linejoin: round;
    stroke-linecap: round;
  }
  .sparkline .area {
    fill: var(--_primary);
    opacity: 0.12;
  }
  .sparkline .dot {
    fill: var(--_primary);
  }
  .sparkline.idle .line {
    stroke: var(--_border);
  }

  /*
   * Narrow containers: each key becomes a block of label/value lines, so every column (the new
   * key's full value included) stays readable without scrolling sideways. The labels come from
   * data-label, in the element's language; the header row stays for screen readers.
   */
  @container (max-width: 40rem) {
    table,
    tbody,
    tr,
    tbody th,
    tbody td {
      display: block;
    }
    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    tbody tr {
      padding: 0.75rem var(--_space);
      border-block-end: 1px solid var(--_border);
    }
    tbody tr:last-child {
      border-block-end: none;
    }
    tbody tr > [data-label] {
      display: grid;
      grid-template-columns: minmax(5.5rem, 30%) minmax(0, 1fr);
      gap: 0.75rem;
      align-items: center;
      padding: 0.25rem 0;
      border: none;
      white-space: normal;
      max-width: none;
      min-width: 0;
      text-align: start;
      width: auto;
    }
    tbody tr > [data-label] > * {
      grid-column: 2;
      justify-self: start;
      min-width: 0;
      max-width: 100%;
    }
    td.key:has(.secret-box)::before {
      grid-row: span 2;
      align-self: start;
    }
    caption {
      display: block;
    }
    .last-used {
      flex-wrap: wrap;
      gap: 0.25rem 0.625rem;
    }
    tbody tr > [data-label]::before {
      content: attr(data-label);
      color: var(--_muted);
      font-size: 0.75rem;
      font-weight: 600;
    }
    tr.new > th {
      box-shadow: none;
    }
    tr.new {
      box-shadow: inset 3px 0 0 var(--_primary);
    }
    .secret-box,
    .secret-line {
      min-width: 0;
      flex-wrap: wrap;
    }
    .secret {
      white-space: normal;
      overflow-wrap: anywhere;
    }
    .table-container {
      overflow-x: visible;
      background: var(--_bg);
    }
  }
`;
