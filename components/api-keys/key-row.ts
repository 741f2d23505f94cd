import { html, nothing } from 'lit';
import type { Localizer } from '../base/localize.js';
import type { ApiKey } from '../client/types.js';
import { formatRelative, isExpired } from './format.js';
import { renderSparkline } from './usage-sparkline.js';

export type CopyStatus = 'copied' | 'manual' | undefined;

export interface KeyRowContext {
  now: Date;
  t: Localizer;
  /** The secret of the key created just now, shown in its row only. */
  secret?: string;
  copyStatus: CopyStatus;
  onCopy: () => void;
  onDelete: (key: ApiKey) => void;
}

/** One row of the keys table; the key's name is the row header. */
export function renderKeyRow(key: ApiKey, context: KeyRowContext) {
  const { t } = context;
  const expired = isExpired(key.expiresAt, context.now);
  const parts = ['row', context.secret ? 'row-new' : '', expired ? 'row-expired' : ''].filter(Boolean).join(' ');
  return html`<tr part=${parts} class=${context.secret ? 'new' : nothing} data-key-id=${key.id}>
    <th scope="row" part="cell name-cell" class="name" data-label=${t.term('keys.col.name')}>${key.name}</th>
    <td part="cell key-cell" class="key" data-label=${t.term('keys.col.key')}>${context.secret ? renderSecret(context.secret, context) : html`<code part="masked-key">${key.maskedKey}</code>`}</td>
    <td part="cell expires-cell" data-label=${t.term('keys.col.expiresAt')}>${renderExpiry(key, expired, context)}</td>
    <td part="cell last-used-cell" data-label=${t.term('keys.col.lastUsedAt')}>${renderLastUsed(key, context)}</td>
    <td part="cell created-cell" data-label=${t.term('keys.col.createdAt')}>${renderTime(key.createdAt, context.t.date(key.createdAt), context)}</td>
    <td part="cell actions-cell" class="actions" data-label=${t.term('keys.col.actions')}>
      <button
        type="button"
        part="button delete-button"
        class="ghost-danger"
        data-key-id=${key.id}
        aria-label=${context.t.term('keys.deleteLabel', { name: key.name })}
        @click=${() => context.onDelete(key)}
      >${context.t.term('keys.delete')}</button>
    </td>
  </tr>`;
}

function renderSecret(secret: string, context: KeyRowContext) {
  const feedback = context.copyStatus === 'copied' ? context.t.term('keys.copied') : context.copyStatus === 'manual' ? context.t.term('keys.copyManual') : '';
  return html`<div class="secret-box">
      <span class="secret-line">
        <code part="secret" class="secret" id="secret">${secret}</code>
        <button type="button" part="button copy-button" class="copy" aria-describedby="copy-warning" @click=${context.onCopy}>
          ${context.t.term('keys.copy')}
        </button>
      </span>
      <span role="status" class=${context.copyStatus === 'manual' ? 'copy-feedback manual' : 'copy-feedback'}>${feedback}</span>
    </div>
    <p part="warning" class="warning" id="copy-warning">${context.t.term('keys.copyWarning')}</p>`;
}

function renderExpiry(key: ApiKey, expired: boolean, context: KeyRowContext) {
  if (key.expiresAt === null) return html`<span class="muted">${context.t.term('keys.noExpiry')}</span>`;
  if (expired) {
    return html`<span part="badge expired-badge" class="badge expired" title=${context.t.dateTime(key.expiresAt)}>${context.t.term('keys.expired')}</span>`;
  }
  return renderTime(key.expiresAt, context.t.date(key.expiresAt), context);
}

function renderLastUsed(key: ApiKey, context: KeyRowContext) {
  const used = key.lastUsedAt === null ? html`<span class="muted">${context.t.term('keys.never')}</span>` : renderTime(key.lastUsedAt, formatRelative(context.t, key.lastUsedAt, context.now), context);
  return html`<span class="last-used">${renderSparkline(context.t, key.usage)}${used}</span>`;
}

/** A short form of a moment, with the exact date and time in `title` and `datetime`. */
function renderTime(iso: string, text: string, context: KeyRowContext) {
  return html`<time datetime=${iso} title=${context.t.dateTime(iso)}>${text}</time>`;
}
