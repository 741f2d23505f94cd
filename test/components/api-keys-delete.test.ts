import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { PersoApiKeys } from '../../components/api-keys/perso-api-keys.js';
import { apiError, json } from './helpers/fake-api.js';
import { button, input, text } from './helpers/mount.js';
import { apiKey, mountLoaded, openDialog, row, rows, shadow, signedInApi, waitForText } from './api-keys-fixtures.js';

function deleteButton(el: PersoApiKeys, name: string): HTMLButtonElement {
  return row(el, name).querySelector<HTMLButtonElement>('[part~="delete-button"]')!;
}

function dialogButton(dialog: HTMLDialogElement, label: string): HTMLButtonElement {
  const found = [...dialog.querySelectorAll('button')].find((b) => b.textContent!.trim() === label);
  if (!found) throw new Error(`No "${label}" in the dialog`);
  return found;
}

async function focusReturnsTo(el: PersoApiKeys, target: Element): Promise<void> {
  await waitUntil(() => shadow(el).activeElement === target, `focus is on ${shadow(el).activeElement?.outerHTML ?? document.activeElement?.tagName}`);
}

describe('<perso-api-keys> delete', () => {
  it('labels each Delete button with its key name while it reads "Delete"', async () => {
    const el = await mountLoaded();
    const del = deleteButton(el, 'Staging');
    expect(del.textContent!.trim()).to.equal('Delete');
    expect(del.getAttribute('aria-label')).to.equal('Delete Staging');
  });

  it('asks for confirmation in a modal dialog that names the key', async () => {
    const api = signedInApi();
    const el = await mountLoaded(api);
    deleteButton(el, 'Staging').click();
    const dialog = await openDialog(el);
    expect(dialog.matches(':modal')).to.equal(true);
    const title = shadow(el).getElementById(dialog.getAttribute('aria-labelledby')!)!;
    expect(title.textContent).to.include('Staging');
    expect(dialogButton(dialog, 'Delete')).to.exist;
    expect(dialogButton(dialog, 'Cancel')).to.exist;
    await focusReturnsTo(el, dialogButton(dialog, 'Cancel'));
    expect(api.callsTo('DELETE', '/api/keys/key_2')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('Cancel keeps the row and returns focus to its Delete button', async () => {
    const api = signedInApi();
    const el = await mountLoaded(api);
    const del = deleteButton(el, 'Staging');
    del.focus();
    del.click();
    const dialog = await openDialog(el);
    dialogButton(dialog, 'Cancel').click();
    await waitUntil(() => !dialog.open);
    expect(rows(el)).to.have.length(3);
    await focusReturnsTo(el, deleteButton(el, 'Staging'));
    expect(api.callsTo('DELETE', '/api/keys/key_2')).to.have.length(0);
  });

  it('Escape cancels and returns focus', async () => {
    const el = await mountLoaded();
    deleteButton(el, 'Production').focus();
    await sendKeys({ press: 'Enter' });
    const dialog = await openDialog(el);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open, 'Escape did not close the dialog');
    expect(rows(el)).to.have.length(3);
    await focusReturnsTo(el, deleteButton(el, 'Production'));
  });

  it('Delete revokes the key, removes the row and fires perso-key-deleted', async () => {
    const api = signedInApi().reply('DELETE', '/api/keys/key_2', 204);
    const el = await mountLoaded(api);
    deleteButton(el, 'Staging').click();
    const dialog = await openDialog(el);
    const deleted = oneEvent(el, 'perso-key-deleted');
    dialogButton(dialog, 'Delete').click();
    const event = await deleted;
    expect(event.detail).to.deep.equal({ id: 'key_2' });
    expect(event.bubbles && event.composed).to.equal(true);
    await waitUntil(() => !dialog.open && rows(el).length === 2);
    expect(() => row(el, 'Staging')).to.throw();
    expect(api.callsTo('DELETE', '/api/keys/key_2')).to.have.length(1);
    await focusReturnsTo(el, deleteButton(el, 'Old CI'));
    await waitForText(el, 'API key “Staging” deleted.');
    await expect(el).to.be.accessible();
  });

  it('works with the keyboard alone', async () => {
    const api = signedInApi([apiKey()]).reply('DELETE', '/api/keys/key_1', 204);
    const el = await mountLoaded(api);
    deleteButton(el, 'Production').focus();
    await sendKeys({ press: 'Enter' });
    const dialog = await openDialog(el);
    await focusReturnsTo(el, dialogButton(dialog, 'Cancel'));
    await sendKeys({ press: 'Tab' });
    expect(shadow(el).activeElement).to.equal(dialogButton(dialog, 'Delete'));
    await sendKeys({ press: 'Enter' });
    await waitForText(el, 'No API keys yet');
    // The last key is gone: focus lands on the create form.
    await focusReturnsTo(el, input(el, 'API Key Name'));
  });

  it('shows a failed delete in words, keeps the row and emits perso-error', async () => {
    const api = signedInApi().handle('DELETE', '/api/keys/key_2', () => apiError(404, 'not_found', 'This key no longer exists.'));
    const el = await mountLoaded(api);
    deleteButton(el, 'Staging').click();
    const dialog = await openDialog(el);
    const failure = oneEvent(el, 'perso-error');
    dialogButton(dialog, 'Delete').click();
    // The kit's own sentence for the code, so it reads in the page's language.
    expect((await failure).detail).to.deep.equal({ code: 'not_found', message: 'This was not found. It may have been deleted already.' });
    await waitUntil(() => dialog.textContent!.includes('This was not found.'));
    expect(dialog.querySelector('[role="alert"]')).to.exist;
    expect(dialog.open).to.equal(true);
    expect(rows(el)).to.have.length(3);
    await expect(el).to.be.accessible();
  });

  it('marks the confirm button disabled while the request runs, with focus kept on it', async () => {
    const api = signedInApi();
    const held = api.hold('DELETE', '/api/keys/key_1');
    const el = await mountLoaded(api);
    deleteButton(el, 'Production').click();
    const dialog = await openDialog(el);
    dialogButton(dialog, 'Delete').focus();
    dialogButton(dialog, 'Delete').click();
    await el.updateComplete;
    expect(dialogButton(dialog, 'Delete').getAttribute('aria-disabled')).to.equal('true');
    expect(document.activeElement).to.equal(el);
    expect(shadow(el).activeElement).to.equal(dialogButton(dialog, 'Delete'));
    dialogButton(dialog, 'Cancel').click();
    expect(dialog.open).to.equal(true);
    dialogButton(dialog, 'Delete').click();
    held.release(json(204));
    await waitUntil(() => rows(el).length === 2);
    expect(api.callsTo('DELETE', '/api/keys/key_1')).to.have.length(1);
  });

  it('drops the shown secret with its row', async () => {
    const api = signedInApi([])
      .reply('POST', '/api/keys', 201, { key: apiKey({ id: 'key_9', name: 'Fresh' }), secret: 'pak-ffffffffffffffffffffffffffffffff' })
      .reply('DELETE', '/api/keys/key_9', 204);
    const el = await mountLoaded(api);
    input(el, 'API Key Name').value = 'Fresh';
    button(el, 'Create').click();
    await waitForText(el, 'pak-ffffffffffffffffffffffffffffffff');
    deleteButton(el, 'Fresh').click();
    dialogButton(await openDialog(el), 'Delete').click();
    await waitForText(el, 'No API keys yet');
    expect(text(el)).not.to.include('pak-ffff');
  });
});
