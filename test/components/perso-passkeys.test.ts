import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/passkeys/perso-passkeys.js';
import { PersoPasskeys } from '../../components/passkeys/perso-passkeys.js';
import type { Passkey } from '../../components/client/types.js';
import { apiError, FakeApi, json, testUser } from './helpers/fake-api.js';
import { creationOptions, type FakeWebAuthn, fakeWebAuthn } from './helpers/fake-webauthn.js';
import { button, buttons, mount, shown, text } from './helpers/mount.js';

const laptop: Passkey = {
  id: 'pk_1',
  name: 'Chrome on macOS',
  credentialId: 'bGFwdG9w',
  deviceType: 'multiDevice',
  backedUp: true,
  createdAt: '2026-11-02T10:00:00.000Z',
  lastUsedAt: '2026-11-30T09:30:00.000Z',
};
const phone: Passkey = { ...laptop, id: 'pk_2', name: 'Safari on iOS', credentialId: 'cGhvbmU', backedUp: false, deviceType: 'singleDevice', lastUsedAt: null };

function signedInApi(passkeys: Passkey[] = [laptop, phone]): FakeApi {
  return new FakeApi().reply('GET', '/api/session', 200, { user: testUser }).reply('GET', '/api/passkeys', 200, { passkeys, rpId: 'localhost' });
}

async function listed(api: FakeApi): Promise<PersoPasskeys> {
  const el = await mount<PersoPasskeys>(html`<perso-passkeys></perso-passkeys>`, api.client);
  await shown(el, 'Add a passkey');
  return el;
}

const dialog = (el: Element) => el.shadowRoot!.querySelector('dialog')!;

let webauthn: FakeWebAuthn | undefined;
afterEach(() => {
  webauthn?.restore();
  webauthn = undefined;
});

describe('<perso-passkeys>', () => {
  it('is defined as perso-passkeys', () => {
    expect(customElements.get('perso-passkeys')).to.equal(PersoPasskeys);
  });

  it('asks to sign in when nobody is, with a slot for a sign-in form', async () => {
    const el = await mount<PersoPasskeys>(html`<perso-passkeys><p slot="signed-out">form here</p></perso-passkeys>`, new FakeApi().client);
    await shown(el, 'Sign in to manage your passkeys');
    expect(el.shadowRoot!.querySelector('slot[name="signed-out"]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('lists each passkey with its name, creation and last use', async () => {
    const el = await listed(signedInApi());
    const items = [...el.shadowRoot!.querySelectorAll('[part="item"]')].map((item) => item.textContent!.replace(/\s+/g, ' ').trim());
    expect(items[0]).to.match(/^Chrome on macOS ?Synced Created Nov 2, 2026 · Last used Nov 30, 2026, \d+:30 [AP]M Remove$/);
    expect(items[1]).to.equal('Safari on iOS Created Nov 2, 2026 · Never used Remove');
    expect(buttons(el, 'Remove Chrome on macOS')).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('says when there are none yet', async () => {
    const el = await listed(signedInApi([]));
    await shown(el, 'No passkeys yet');
  });

  it('adds a passkey made on this device', async () => {
    webauthn = fakeWebAuthn();
    const added: Passkey = { ...phone, id: 'pk_3', name: 'Chrome on Linux' };
    const api = signedInApi([laptop])
      .reply('POST', '/api/passkeys/options', 200, { options: creationOptions([{ id: laptop.credentialId, type: 'public-key' }]) })
      .reply('POST', '/api/passkeys', 201, { passkey: added });
    const el = await listed(api);
    const event = oneEvent(el, 'perso-passkey-added');
    button(el, 'Add a passkey').click();
    expect((await event).detail.passkey).to.deep.equal(added);
    await shown(el, 'Chrome on Linux');
    expect(webauthn.calls[0]!.kind).to.equal('create');
    expect((api.last('POST', '/api/passkeys')!.body as { response: { id: string } }).response.id).to.equal('bmV3LWNyZWQ');
    await shown(el, 'Passkey “Chrome on Linux” added.');
  });

  it('says when this device already has a passkey for the account', async () => {
    webauthn = fakeWebAuthn({ create: 'InvalidStateError' });
    const api = signedInApi([laptop]).reply('POST', '/api/passkeys/options', 200, { options: creationOptions([{ id: laptop.credentialId, type: 'public-key' }]) });
    const el = await listed(api);
    const failed = oneEvent(el, 'perso-error');
    button(el, 'Add a passkey').click();
    expect((await failed).detail).to.deep.equal({ code: 'passkey_registered', message: 'This device already has a passkey for this account.' });
    await shown(el, 'This device already has a passkey for this account.');
    expect(button(el, 'Add a passkey').disabled).to.equal(false);
    expect(api.callsTo('POST', '/api/passkeys')).to.have.length(0);
  });

  it('removes a passkey after confirmation, and tells the browser', async () => {
    webauthn = fakeWebAuthn();
    const api = signedInApi().handle('DELETE', '/api/passkeys/pk_1', () => json(204));
    const el = await listed(api);
    button(el, 'Remove Chrome on macOS').click();
    await waitUntil(() => dialog(el).open);
    expect(dialog(el).textContent).to.contain('Remove “Chrome on macOS”?');
    expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('Cancel');
    await expect(el).to.be.accessible();
    const removed = oneEvent(el, 'perso-passkey-removed');
    button(el, 'Remove').click();
    const confirm = [...dialog(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Remove')!;
    confirm.click();
    expect((await removed).detail).to.deep.equal({ id: 'pk_1' });
    await waitUntil(() => !dialog(el).open);
    const names = [...el.shadowRoot!.querySelectorAll('[part="name"]')].map((n) => n.textContent!.trim());
    expect(names).to.deep.equal(['Safari on iOS']);
    expect(webauthn.signals).to.deep.equal([{ rpId: 'localhost', credentialId: 'bGFwdG9w' }]);
    // Focus moves to the next passkey's Remove button.
    await waitUntil(() => el.shadowRoot!.activeElement?.getAttribute('aria-label') === 'Remove Safari on iOS');
  });

  it('removes nothing when the confirmation is cancelled', async () => {
    const api = signedInApi();
    const el = await listed(api);
    button(el, 'Remove Safari on iOS').click();
    await waitUntil(() => dialog(el).open);
    [...dialog(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Cancel')!.click();
    await waitUntil(() => !dialog(el).open);
    expect(api.callsTo('DELETE', '/api/passkeys/pk_2')).to.have.length(0);
    expect(text(el)).to.contain('Safari on iOS');
  });

  it('explains why the last way to sign in cannot be removed', async () => {
    const api = signedInApi([laptop]).handle('DELETE', '/api/passkeys/pk_1', () => apiError(409, 'last_sign_in_method'));
    const el = await listed(api);
    button(el, 'Remove Chrome on macOS').click();
    await waitUntil(() => dialog(el).open);
    [...dialog(el).querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Remove')!.click();
    await waitUntil(() => dialog(el).textContent!.includes('This is your only way to sign in. Add another passkey before removing this one.'));
    expect(dialog(el).open).to.equal(true);
    expect(text(el)).to.contain('Chrome on macOS');
  });
});
