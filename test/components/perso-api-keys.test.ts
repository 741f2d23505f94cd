import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { PersoApiKeys } from '../../components/api-keys/perso-api-keys.js';
import { emulateMedia } from '@web/test-runner-commands';
import { FakeApi, json, testUser } from './helpers/fake-api.js';
import { button, input, mount, text, type } from './helpers/mount.js';
import { apiKey, cell, mountKeys, mountLoaded, row, rows, sampleKeys, shadow, signedInApi, waitForText } from './api-keys-fixtures.js';

describe('<perso-api-keys> states', () => {
  it('is defined once as perso-api-keys', () => {
    expect(customElements.get('perso-api-keys')).to.equal(PersoApiKeys);
    expect(document.createElement('perso-api-keys')).to.be.instanceOf(PersoApiKeys);
  });

  it('shows the signed-out message and the signed-out slot when nobody is signed in', async () => {
    const api = new FakeApi();
    const el = await mountKeys(api);
    await waitForText(el, 'Sign in to manage your API keys');
    expect(shadow(el).querySelector('slot[name="signed-out"]')).to.exist;
    expect(shadow(el).querySelector('form')).to.equal(null);
    expect(api.callsTo('GET', '/api/keys')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('projects the host content into the signed-out slot', async () => {
    const api = new FakeApi();
    const el = await mount<PersoApiKeys>(html`<perso-api-keys><p slot="signed-out" id="host-signin">Sign in here</p></perso-api-keys>`, api.client);
    await waitForText(el, 'Sign in to manage your API keys');
    const slot = shadow(el).querySelector<HTMLSlotElement>('slot[name="signed-out"]')!;
    expect(slot.assignedElements().map((e) => e.id)).to.deep.equal(['host-signin']);
  });

  it('shows a loading status while the keys load, then the list', async () => {
    const api = signedInApi();
    const held = api.hold('GET', '/api/keys');
    const el = await mountKeys(api);
    await waitForText(el, 'Loading your API keys…');
    const status = shadow(el).querySelector('[part~="loading"]')!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(shadow(el).querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    held.release(json(200, { keys: sampleKeys() }));
    await waitUntil(() => rows(el).length === 3);
    expect(text(el)).not.to.include('Loading your API keys');
  });

  it('shows "No API keys yet" and the create form when the list is empty', async () => {
    const el = await mountLoaded(signedInApi([]));
    await waitForText(el, 'No API keys yet');
    expect(shadow(el).querySelector('caption')!.textContent!.trim()).to.equal('Your API Keys');
    expect(input(el, 'API Key Name')).to.exist;
    expect(rows(el)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('shows a load error in words with a Retry button that reloads', async () => {
    const api = signedInApi();
    api.reply('GET', '/api/keys', 503, { error: { code: 'unavailable', message: 'The key store is down. Try again soon.' } });
    const errors: CustomEvent[] = [];
    const el = await mountKeys(api);
    el.addEventListener('perso-error', (e) => errors.push(e));
    await waitForText(el, 'The key store is down. Try again soon.');
    expect(shadow(el).querySelector('[part~="error"]')!.getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();

    api.reply('GET', '/api/keys', 200, { keys: sampleKeys() });
    button(el, 'Retry').click();
    await waitUntil(() => rows(el).length === 3, 'Retry did not load the keys');
    expect(api.callsTo('GET', '/api/keys')).to.have.length(2);
    expect(text(el)).not.to.include('The key store is down');
  });

  it('emits perso-error when the keys fail to load', async () => {
    const api = signedInApi().fail('GET', '/api/keys');
    const event = oneEvent(document, 'perso-error');
    const el = await mountKeys(api);
    const { detail } = await event;
    expect(detail).to.deep.equal({ code: 'network_error', message: 'Could not reach the server. Check your connection and try again.' });
    await waitForText(el, 'Could not reach the server');
  });

  it('shows an error with Retry when the session check fails, and recovers', async () => {
    const api = new FakeApi().fail('GET', '/api/session').reply('GET', '/api/keys', 200, { keys: [] });
    const el = await mountKeys(api);
    await waitForText(el, 'Could not reach the server');
    api.reply('GET', '/api/session', 200, { user: testUser });
    button(el, 'Retry').click();
    await waitForText(el, 'No API keys yet');
  });

  it('signs out (shows the signed-out state) when the keys answer 401', async () => {
    const api = signedInApi();
    api.reply('GET', '/api/keys', 401, { error: { code: 'unauthenticated', message: 'Sign in first.' } });
    const el = await mountKeys(api);
    await waitForText(el, 'Sign in to manage your API keys');
  });
});

describe('<perso-api-keys> table', () => {
  it('has the caption, the six columns and one row per key, newest first', async () => {
    const el = await mountLoaded();
    const table = shadow(el).querySelector('table')!;
    expect(table.caption!.textContent!.trim()).to.equal('Your API Keys');
    const headers = [...table.querySelectorAll('thead th')];
    expect(headers.map((th) => th.textContent!.trim())).to.deep.equal(['Key Name', 'Key', 'Expires At', 'Last Used At', 'Created At', 'Actions']);
    expect(headers.every((th) => th.getAttribute('scope') === 'col')).to.equal(true);
    expect(rows(el).map((r) => r.querySelector('th[scope="row"]')!.textContent!.trim())).to.deep.equal(['Production', 'Staging', 'Old CI']);
    await expect(el).to.be.accessible();
  });

  it('shows masked keys only, never a secret', async () => {
    const el = await mountLoaded();
    expect(cell(el, row(el, 'Production'), 'Key').textContent!.trim()).to.equal('pak-a1b2…9f0e');
    expect(text(el)).not.to.include('Copy this key now');
    expect(shadow(el).querySelector('[part~="copy-button"]')).to.equal(null);
  });

  it('says "Expired" for expired keys and shows the date of the others', async () => {
    const future = new Date(Date.now() + 5 * 86_400_000);
    const keys = [apiKey({ id: 'a', name: 'Soon', expiresAt: future.toISOString() }), apiKey({ id: 'b', name: 'Gone', expiresAt: new Date(Date.now() - 1000).toISOString() })];
    const el = await mountLoaded(signedInApi(keys));
    expect(cell(el, row(el, 'Gone'), 'Expires At').textContent!.trim()).to.equal('Expired');
    const soon = cell(el, row(el, 'Soon'), 'Expires At');
    expect(soon.textContent!.trim()).to.equal(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(future));
    expect(soon.querySelector('time')!.getAttribute('datetime')).to.equal(future.toISOString());
    expect(row(el, 'Gone').getAttribute('part')).to.include('row-expired');
  });

  it('shows Last Used At relative with the exact time in <time>, and "Not used yet" when unused', async () => {
    const el = await mountLoaded();
    const used = cell(el, row(el, 'Production'), 'Last Used At');
    expect(used.textContent!.trim()).to.equal('3 minutes ago');
    const time = used.querySelector('time')!;
    expect(Date.parse(time.getAttribute('datetime')!)).to.be.closeTo(Date.now() - 180_000, 5_000);
    expect(time.title).to.not.equal('');
    expect(cell(el, row(el, 'Staging'), 'Last Used At').textContent!.trim()).to.equal('Not used yet');
    expect(cell(el, row(el, 'Old CI'), 'Last Used At').textContent!.trim()).to.equal('last month');
  });

  it('draws a usage sparkline that screen readers read as a total', async () => {
    const el = await mountLoaded();
    const sparkline = cell(el, row(el, 'Production'), 'Last Used At').querySelector('svg')!;
    expect(sparkline.getAttribute('role')).to.equal('img');
    expect(sparkline.getAttribute('aria-label')).to.equal('40 requests in the last 30 days');
    expect(sparkline.querySelector('polyline')!.getAttribute('points')!.split(' ')).to.have.length(30);
    expect(cell(el, row(el, 'Staging'), 'Last Used At').querySelector('svg')!.getAttribute('aria-label')).to.equal('0 requests in the last 30 days');
    expect(cell(el, row(el, 'Old CI'), 'Last Used At').querySelector('svg')).to.equal(null);
  });

  for (const width of [320, 375]) {
    it(`stacks each key into labelled lines in a ${width} px host, the new key's full value inside it`, async () => {
      const api = signedInApi();
      const created = apiKey({ id: 'key_new', name: 'Mobile app', maskedKey: 'pak-9c4e…3a21' });
      const secret = 'pak-9c4e1f0a7b3d52e8a6c1f4b09d7e3a21';
      api.reply('POST', '/api/keys', 201, { key: created, secret });
      const el = await mountLoaded(api);
      el.style.width = `${width}px`;
      type(input(el, 'API Key Name'), 'Mobile app');
      button(el, 'Create').click();
      await waitForText(el, secret);
      const host = el.getBoundingClientRect();
      const inside = (node: Element) => {
        const box = node.getBoundingClientRect();
        return box.left >= host.left - 0.5 && box.right <= host.right + 0.5;
      };
      const container = shadow(el).querySelector<HTMLElement>('[part~="table-container"]')!;
      expect(container.scrollWidth).to.be.at.most(container.clientWidth);
      for (const td of shadow(el).querySelectorAll('tbody th, tbody td')) expect(inside(td), td.textContent!).to.equal(true);
      expect(inside(shadow(el).querySelector('[part~="secret"]')!)).to.equal(true);
      expect(inside(shadow(el).querySelector('[part~="warning"]')!)).to.equal(true);
      const expires = cell(el, row(el, 'Mobile app'), 'Expires At');
      expect(getComputedStyle(expires, '::before').content).to.equal('"Expires At"');
      await expect(el).to.be.accessible();
    });
  }

  it('refreshes the list when someone signs in elsewhere on the page (shared client)', async () => {
    const api = new FakeApi().reply('GET', '/api/keys', 200, { keys: sampleKeys() });
    const el = await mountKeys(api);
    await waitForText(el, 'Sign in to manage your API keys');
    api.reply('POST', '/api/signin', 200, { user: testUser });
    await api.client.signIn('ada@example.com', 'correct horse battery');
    await waitUntil(() => rows(el).length === 3, 'the list did not appear after sign-in');
    expect(text(el)).not.to.include('Sign in to manage');

    api.reply('POST', '/api/signout', 204);
    await api.client.signOut();
    await waitForText(el, 'Sign in to manage your API keys');
  });

  it('reloads the list when another user signs in', async () => {
    const api = signedInApi();
    const el = await mountLoaded(api);
    api.reply('GET', '/api/keys', 200, { keys: [apiKey({ id: 'other', name: 'Other user key' })] });
    api.reply('POST', '/api/signin', 200, { user: { ...testUser, id: 'usr_2', email: 'bob@example.com' } });
    await api.client.signIn('bob@example.com', 'password123');
    await waitUntil(() => rows(el).length === 1 && row(el, 'Other user key'), 'the list did not reload');
  });

  it('uses the dark palette from the theme attribute', async () => {
    const el = await mountLoaded();
    const light = getComputedStyle(el).color;
    el.theme = 'dark';
    await el.updateComplete;
    expect(el.getAttribute('theme')).to.equal('dark');
    expect(getComputedStyle(el).color).not.to.equal(light);
    await expect(el).to.be.accessible();
  });

  it('follows prefers-color-scheme unless theme="light" says otherwise', async () => {
    const el = await mountLoaded();
    const light = getComputedStyle(el).color;
    await emulateMedia({ colorScheme: 'dark' });
    try {
      expect(getComputedStyle(el).color).not.to.equal(light);
      await expect(el).to.be.accessible();
      el.theme = 'light';
      await el.updateComplete;
      expect(getComputedStyle(el).color).to.equal(light);
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('follows --perso-* custom properties set by the host', async () => {
    const el = await mountLoaded();
    el.style.setProperty('--perso-color-text', 'rgb(1, 2, 3)');
    expect(getComputedStyle(shadow(el).querySelector('caption')!).color).to.equal('rgb(1, 2, 3)');
  });

  it('exposes the themable parts', async () => {
    const el = await mountLoaded();
    for (const part of ['form', 'input', 'button', 'table', 'row', 'cell', 'dialog', 'caption', 'header-cell', 'sparkline']) {
      expect(shadow(el).querySelector(`[part~="${part}"]`), part).to.exist;
    }
  });

});

describe('<perso-api-keys> many keys', () => {
  const DAY = 86_400_000;
  const manyKeys = () =>
    Array.from({ length: 12 }, (_, i) =>
      apiKey({
        id: `key_${i}`,
        name: `Key ${String.fromCharCode(76 - i)}`,
        createdAt: new Date(Date.now() - i * DAY).toISOString(),
        lastUsedAt: i % 4 === 1 ? null : new Date(Date.now() - ((i * 7) % 12) * 3_600_000).toISOString(),
        expiresAt: i % 3 === 2 ? new Date(Date.now() - DAY).toISOString() : i % 3 === 1 ? new Date(Date.now() + (20 - i) * DAY).toISOString() : null,
      }),
    );
  const names = (el: PersoApiKeys) => rows(el).map((r) => r.querySelector('th')!.textContent!.trim());

  it('offers no filter or order for a screenful of keys', async () => {
    const el = await mountLoaded();
    expect(shadow(el).querySelector('[part~="table-tools"]')).to.equal(null);
  });

  it('hides expired keys and sorts by the chosen order once there are more than 10', async () => {
    const keys = manyKeys();
    const el = await mountLoaded(signedInApi(keys));
    expect(names(el)).to.deep.equal(keys.map((k) => k.name));
    const hide = shadow(el).querySelector<HTMLInputElement>('[part~="hide-expired-input"]')!;
    hide.click();
    await el.updateComplete;
    expect(rows(el)).to.have.length(8);
    expect(text(el)).to.contain('4 expired keys hidden');
    expect(rows(el).some((r) => r.getAttribute('part')!.includes('row-expired'))).to.equal(false);

    const sort = shadow(el).querySelector<HTMLSelectElement>('[part~="sort-select"]')!;
    sort.value = 'name';
    sort.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(names(el)).to.deep.equal([...names(el)].sort((a, b) => a.localeCompare(b)));
    // Key A (the 12th) has expired and is hidden.
    expect(names(el)[0]).to.equal('Key B');

    sort.value = 'expires';
    sort.dispatchEvent(new Event('change'));
    await el.updateComplete;
    const expiries = rows(el).map((r) => cell(el, r, 'Expires At').textContent!.trim());
    expect(expiries.at(-1)).to.equal('No expiry');
    expect(expiries[0]).to.not.equal('No expiry');
    await expect(el).to.be.accessible();
  });
});
