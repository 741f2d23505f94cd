import { html, waitUntil } from '@open-wc/testing';
import '../../components/api-keys/perso-api-keys.js';
import type { PersoApiKeys } from '../../components/api-keys/perso-api-keys.js';
import type { ApiKey } from '../../components/client/types.js';
import { FakeApi, testUser } from './helpers/fake-api.js';
import { mount, text } from './helpers/mount.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export function isoAgo(ms: number): string {
  return new Date(Date.now() - ms).toISOString();
}

export function apiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: 'key_1',
    name: 'Production',
    maskedKey: 'pak-a1b2…9f0e',
    expiresAt: null,
    lastUsedAt: isoAgo(3 * MINUTE),
    createdAt: isoAgo(10 * DAY),
    usage: Array.from({ length: 30 }, (_, day) => (day % 3 === 0 ? 2 : 1)),
    ...overrides,
  };
}

/** Three keys: used recently with usage, never used, and expired. */
export function sampleKeys(): ApiKey[] {
  return [
    apiKey(),
    apiKey({ id: 'key_2', name: 'Staging', maskedKey: 'pak-c3d4…1a2b', lastUsedAt: null, usage: Array(30).fill(0) }),
    apiKey({ id: 'key_3', name: 'Old CI', maskedKey: 'pak-e5f6…3c4d', expiresAt: isoAgo(DAY), lastUsedAt: isoAgo(40 * DAY), usage: undefined }),
  ];
}

/** A fake server where `testUser` is signed in and owns `keys`. */
export function signedInApi(keys: ApiKey[] = sampleKeys()): FakeApi {
  return new FakeApi().reply('GET', '/api/session', 200, { user: testUser }).reply('GET', '/api/keys', 200, { keys });
}

export async function mountKeys(api: FakeApi): Promise<PersoApiKeys> {
  return mount<PersoApiKeys>(html`<perso-api-keys></perso-api-keys>`, api.client);
}

/** Mounts and waits until the table (or the empty state) is shown. */
export async function mountLoaded(api: FakeApi = signedInApi()): Promise<PersoApiKeys> {
  const el = await mountKeys(api);
  await waitUntil(() => el.shadowRoot!.querySelector('table'), 'the keys table never rendered');
  return el;
}

export function shadow(el: Element): ShadowRoot {
  return el.shadowRoot!;
}

/** The table's rows (`<tr>` in `<tbody>`), keyed lookups by the key name in the row header. */
export function rows(el: Element): HTMLTableRowElement[] {
  return [...shadow(el).querySelectorAll<HTMLTableRowElement>('tbody tr[data-key-id]')];
}

export function row(el: Element, name: string): HTMLTableRowElement {
  const found = rows(el).find((r) => r.querySelector('th')?.textContent?.trim() === name);
  if (!found) throw new Error(`No row for key "${name}"`);
  return found;
}

/** Cell of `tr` under the column headed `column`. */
export function cell(el: Element, tr: HTMLTableRowElement, column: string): HTMLElement {
  const headers = [...shadow(el).querySelectorAll('thead th')].map((th) => th.textContent?.trim());
  const index = headers.indexOf(column);
  if (index < 0) throw new Error(`No column "${column}"`);
  return tr.children[index] as HTMLElement;
}

export async function waitForText(el: Element, sentence: string): Promise<void> {
  await waitUntil(() => text(el).includes(sentence), `"${sentence}" never appeared; text: ${text(el)}`);
}

/** The dialog, once it is open. */
export async function openDialog(el: Element): Promise<HTMLDialogElement> {
  const dialog = shadow(el).querySelector('dialog')!;
  await waitUntil(() => dialog.open, 'the dialog never opened');
  return dialog;
}
