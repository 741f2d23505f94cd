import { css } from 'lit';

/** The list, its header and "Add a passkey" (the signed-in screen, `passkey-list.ts`). */
export const listStyles = css`
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space);
  }
  .title {
    font-size: 1.125rem;
    font-weight: 600;
    margin: 0;
  }
  .meta,
  .empty {
    color: var(--_muted);
    margin: 0;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    border-top: 1px solid var(--_border);
  }
  .item {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem var(--_space);
    padding-block: calc(var(--_space) * 0.75);
    border-bottom: 1px solid var(--_border);
  }
  .icon {
    width: 1.5rem;
    height: 1.5rem;
    flex: none;
    color: var(--_primary);
  }
  .details {
    flex: 1 1 12rem;
    min-width: 0;
  }
  .name {
    font-weight: 600;
    margin: 0;
    overflow-wrap: anywhere;
  }
  .meta {
    font-size: 0.875rem;
  }
  .badge {
    font-size: 0.75rem;
    font-weight: 600;
    border: 1px solid var(--_border);
    border-radius: 999px;
    padding: 0.05rem 0.5rem;
    margin-inline-start: 0.5rem;
    color: var(--_muted);
  }
  .alert {
    margin: 0;
  }
  @container (max-width: 24rem) {
    .item button {
      width: 100%;
    }
  }
`;
