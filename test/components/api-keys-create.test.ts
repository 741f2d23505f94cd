import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { endOfLocalDay, toDateInputValue, tomorrow } from '../../components/api-keys/format.js';
import type { PersoApiKeys } from '../../components/api-keys/perso-api-keys.js';
import type { ApiKey } from '../../components/client/types.js';
import { apiError, json } from './helpers/fake-api.js';
import { button, input, text, type } from './helpers/mount.js';
import { apiKey, cell, mountLoaded, row, rows, shadow, signedInApi, waitForText } from './api-keys-fixtures.js';

const SECRET = 'pak-0123456789abcdef0123456789abcdef';

const CREATED_AT = new Date().toISOString();

function newKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return apiKey({ id: 'key_new', name: 'Laptop', maskedKey: 'pak-0123…cdef', lastUsedAt: null, createdAt: CREATED_AT, usage: Array(30).fill(0), ...overrides });
}

function activeElement(el: PersoApiKeys): Element | null {
  return shadow(el).activeElement;
}

async function submit(el: PersoApiKeys, name: string, date = ''): Promise<void> {
  type(input(el, 'API Key Name'), name);
  type(input(el, 'Expires At'), date);
  button(el, 'Create').click();
  await el.updateComplete;
}

describe('<perso-api-keys> create form', () => {
  it('is titled "Create New API Key" with a required "API Key Name", an "Expires At" date and "Create"', async () => {
    const el = await mountLoaded();
    const form = shadow(el).querySelector('form')!;
    const title = shadow(el).getElementById(form.getAttribute('aria-labelledby')!)!;
    expect(title.textContent!.trim()).to.equal('Create New API Key');
    expect(title.tagName).to.equal('H2');
    expect(input(el, 'API Key Name').required).to.equal(true);
    expect(input(el, 'Expires At').type).to.equal('date');
    expect(input(el, 'Expires At').required).to.equal(false);
    expect(button(el, 'Create').type).to.equal('submit');
  });

  it('offers tomorrow (local) as the earliest expiry date', async () => {
    const el = await mountLoaded();
    const now = new Date();
    const expected = toDateInputValue(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1));
    expect(input(el, 'Expires At').min).to.equal(expected);
  });

  it('refuses an empty or blank name without calling the server', async () => {
    const api = signedInApi();
    const el = await mountLoaded(api);
    await submit(el, '   ');
    const name = input(el, 'API Key Name');
    expect(name.getAttribute('aria-invalid')).to.equal('true');
    const message = shadow(el).getElementById(name.getAttribute('aria-describedby')!)!;
    expect(message.textContent!.trim()).to.equal('Enter a name for the key.');
    await waitUntil(() => activeElement(el) === name, 'focus did not move to the invalid field');
    expect(api.callsTo('POST', '/api/keys')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('refuses a name over 100 characters after trim, and clears the message once fixed', async () => {
    const api = signedInApi();
    const el = await mountLoaded(api);
    await submit(el, 'x'.repeat(101));
    await waitForText(el, 'Use 100 characters or fewer.');
    type(input(el, 'API Key Name'), 'x'.repeat(100));
    await el.updateComplete;
    expect(text(el)).not.to.include('Use 100 characters or fewer.');
    expect(input(el, 'API Key Name').getAttribute('aria-invalid')).to.equal('false');
    expect(api.callsTo('POST', '/api/keys')).to.have.length(0);
  });

  it('sends the trimmed name and no expiresAt when no date is picked', async () => {
    const api = signedInApi().reply('POST', '/api/keys', 201, { key: newKey(), secret: SECRET });
    const el = await mountLoaded(api);
    await submit(el, `  ${'y'.repeat(100)}  `);
    await waitUntil(() => api.callsTo('POST', '/api/keys').length === 1);
    expect(api.last('POST', '/api/keys')!.body).to.deep.equal({ name: 'y'.repeat(100) });
  });

  it('sends expiresAt as the end of the picked day in the local time zone, in UTC', async () => {
    const api = signedInApi().reply('POST', '/api/keys', 201, { key: newKey(), secret: SECRET });
    const el = await mountLoaded(api);
    const date = tomorrow();
    await submit(el, 'Laptop', date);
    await waitUntil(() => api.callsTo('POST', '/api/keys').length === 1);
    const [y, m, d] = date.split('-').map(Number);
    const expected = new Date(y, m - 1, d, 23, 59, 59, 999);
    const sent = (api.last('POST', '/api/keys')!.body as { expiresAt: string }).expiresAt;
    expect(sent).to.equal(expected.toISOString());
    expect(sent).to.match(/Z$/);
  });

  it('refuses today or a past date', async () => {
    const api = signedInApi();
    const el = await mountLoaded(api);
    await submit(el, 'Laptop', toDateInputValue(new Date()));
    await waitForText(el, 'Choose a date after today.');
    const expires = input(el, 'Expires At');
    expect(expires.getAttribute('aria-invalid')).to.equal('true');
    expect(expires.getAttribute('aria-describedby')).to.include('expires-error');
    expect(api.callsTo('POST', '/api/keys')).to.have.length(0);
  });

  it("shows the server's 422 field messages next to the fields", async () => {
    const api = signedInApi().handle('POST', '/api/keys', () =>
      apiError(422, 'validation_failed', 'Check the highlighted fields.', { fields: { name: 'Name is taken.', expiresAt: 'Must be in the future.' } }),
    );
    const el = await mountLoaded(api);
    const failure = oneEvent(el, 'perso-error');
    await submit(el, 'Laptop', tomorrow());
    expect((await failure).detail.code).to.equal('validation_failed');
    await waitForText(el, 'Name is taken.');
    for (const [label, message] of [['API Key Name', 'Name is taken.'], ['Expires At', 'Must be in the future.']]) {
      const field = input(el, label);
      expect(field.getAttribute('aria-invalid'), label).to.equal('true');
      const described = field.getAttribute('aria-describedby')!.split(' ').map((id) => shadow(el).getElementById(id)!.textContent!.trim());
      expect(described, label).to.include(message);
    }
    expect(button(el, 'Create').getAttribute('aria-disabled')).to.equal('false');
    await expect(el).to.be.accessible();
  });

  it("shows the server's field messages in the page's language: Korean gets the kit's sentences", async () => {
    const api = signedInApi().handle('POST', '/api/keys', () =>
      apiError(422, 'validation_failed', 'Check the highlighted fields.', { fields: { name: 'Bad name.', expiresAt: 'Must be in the future.' } }),
    );
    const el = await mountLoaded(api);
    el.lang = 'ko';
    await waitForText(el, 'API 키 이름');
    type(input(el, 'API 키 이름'), 'Laptop');
    type(input(el, '만료일'), tomorrow());
    button(el, '만들기').click();
    await waitForText(el, '제어 문자 없이 1자 이상 100자 이하로 입력하세요.');
    await waitForText(el, '오늘 이후의 날짜를 고르세요.');
    expect(text(el)).not.to.contain('Bad name.');
    expect(input(el, 'API 키 이름').getAttribute('aria-invalid')).to.equal('true');
  });

  it('shows other failures in words and emits perso-error', async () => {
    const api = signedInApi().handle('POST', '/api/keys', () => apiError(429, 'rate_limited', 'Slow down.', { headers: { 'retry-after': '30' } }));
    const el = await mountLoaded(api);
    const failure = oneEvent(el, 'perso-error');
    await submit(el, 'Laptop');
    const { detail } = await failure;
    expect(detail).to.deep.equal({ code: 'rate_limited', message: 'Too many attempts. Try again in 30 seconds.' });
    await waitForText(el, 'Too many attempts. Try again in 30 seconds.');
    expect(shadow(el).querySelector('form [role="alert"]')).to.exist;
    expect(rows(el)).to.have.length(3);
  });

  it('creates with the keyboard alone: type the name, press Enter, land on Copy', async () => {
    const api = signedInApi().reply('POST', '/api/keys', 201, { key: newKey(), secret: SECRET });
    const el = await mountLoaded(api);
    input(el, 'API Key Name').focus();
    await sendKeys({ type: 'Laptop' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => activeElement(el) === shadow(el).querySelector('[part~="copy-button"]'), 'focus did not land on Copy');
    expect(api.last('POST', '/api/keys')!.body).to.deep.equal({ name: 'Laptop' });
  });

  it('marks "Create" disabled while the request runs, keeps focus on it and sends it once', async () => {
    const api = signedInApi();
    const held = api.hold('POST', '/api/keys');
    const el = await mountLoaded(api);
    type(input(el, 'API Key Name'), 'Laptop');
    button(el, 'Create').focus();
    button(el, 'Create').click();
    await el.updateComplete;
    expect(button(el, 'Create').getAttribute('aria-disabled')).to.equal('true');
    expect(activeElement(el)).to.equal(button(el, 'Create'));
    expect(document.activeElement).to.equal(el);
    shadow(el).querySelector('form')!.requestSubmit();
    await el.updateComplete;
    expect(api.callsTo('POST', '/api/keys')).to.have.length(1);
    held.release(json(201, { key: newKey(), secret: SECRET }));
    await waitUntil(() => button(el, 'Create').getAttribute('aria-disabled') === 'false');
  });
});

describe('<perso-api-keys> show-once secret', () => {
  async function created() {
    const api = signedInApi().reply('POST', '/api/keys', 201, { key: newKey(), secret: SECRET });
    const el = await mountLoaded(api);
    const event = oneEvent(el, 'perso-key-created');
    await submit(el, 'Laptop');
    const { detail } = await event;
    await waitUntil(() => rows(el).length === 4);
    return { api, el, detail };
  }

  it('puts the new key on top with its full value, a Copy button and the warning', async () => {
    const { el } = await created();
    expect(rows(el)[0].querySelector('th')!.textContent!.trim()).to.equal('Laptop');
    const keyCell = cell(el, row(el, 'Laptop'), 'Key');
    expect(keyCell.querySelector('[part~="secret"]')!.textContent!.trim()).to.equal(SECRET);
    expect(keyCell.textContent).to.include("Copy this key now. You won't be able to see it again.");
    expect(button(el, 'Copy')).to.exist;
    expect(keyCell.textContent).not.to.include('pak-0123…cdef');
    expect(cell(el, row(el, 'Production'), 'Key').textContent!.trim()).to.equal('pak-a1b2…9f0e');
    expect(input(el, 'API Key Name').value).to.equal('');
    await waitUntil(() => activeElement(el) === button(el, 'Copy'), 'focus did not move to Copy');
    await expect(el).to.be.accessible();
  });

  it('emits perso-key-created with the key and never the secret', async () => {
    const { detail } = await created();
    expect(detail.key).to.deep.equal(newKey());
    expect(JSON.stringify(detail)).not.to.include(SECRET);
    expect(JSON.stringify(detail)).not.to.include('secret');
  });

  it('shows only the masked key after a reload', async () => {
    const { api, el } = await created();
    api.reply('GET', '/api/keys', 200, { keys: [newKey(), ...(await api.client.listKeys())] });
    el.remove();
    const again = await mountLoaded(api);
    expect(cell(again, row(again, 'Laptop'), 'Key').textContent!.trim()).to.equal('pak-0123…cdef');
    expect(text(again)).not.to.include(SECRET);
    expect(text(again)).not.to.include('Copy this key now');
  });

  it('forgets the secret when the list is loaded again', async () => {
    const { api, el } = await created();
    api.reply('GET', '/api/keys', 200, { keys: [newKey()] });
    api.reply('POST', '/api/signin', 200, { user: { id: 'usr_2', email: 'b@example.com', emailVerified: true, organizationId: 'default', createdAt: new Date().toISOString() } });
    await api.client.signIn('b@example.com', 'password123');
    await waitUntil(() => rows(el).length === 1 && !text(el).includes(SECRET), 'the secret survived a reload');
  });

  it('copies the key to the clipboard and says "Copied"', async () => {
    const { el } = await created();
    const written: string[] = [];
    const clipboard = navigator.clipboard as Clipboard & { writeText: Clipboard['writeText'] };
    clipboard.writeText = async (value: string) => {
      written.push(value);
    };
    try {
      button(el, 'Copy').click();
      await waitForText(el, 'Copied');
      expect(written).to.deep.equal([SECRET]);
      expect(shadow(el).querySelector('.copy-feedback')!.getAttribute('role')).to.equal('status');
    } finally {
      delete (clipboard as Partial<Clipboard>).writeText;
    }
  });

  it('selects the key for a manual copy when the clipboard refuses', async () => {
    const { el } = await created();
    const clipboard = navigator.clipboard as Clipboard & { writeText: Clipboard['writeText'] };
    clipboard.writeText = () => Promise.reject(new DOMException('Denied', 'NotAllowedError'));
    try {
      button(el, 'Copy').click();
      await waitForText(el, 'press Ctrl+C');
      expect(text(el)).not.to.include('Copied');
      expect(getSelection()!.toString()).to.equal(SECRET);
    } finally {
      delete (clipboard as Partial<Clipboard>).writeText;
      getSelection()!.removeAllRanges();
    }
  });
});

describe('format helpers', () => {
  it('endOfLocalDay is the last millisecond of that local day', () => {
    const iso = endOfLocalDay('2031-03-09')!;
    const end = new Date(iso);
    expect([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours(), end.getMinutes(), end.getSeconds(), end.getMilliseconds()]).to.deep.equal([2031, 2, 9, 23, 59, 59, 999]);
    expect(endOfLocalDay('2031-02-30')).to.equal(undefined);
    expect(endOfLocalDay('tomorrow')).to.equal(undefined);
  });

  it('tomorrow crosses month and year ends', () => {
    expect(tomorrow(new Date(2030, 11, 31, 23, 59))).to.equal('2031-01-01');
    expect(tomorrow(new Date(2031, 1, 28, 0, 1))).to.equal('2031-03-01');
  });
});
