import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/api-keys/perso-api-keys.js';
import '../../components/signin/perso-signin.js';
import '../../components/signup/perso-signup.js';
import type { PersoApiKeys } from '../../components/api-keys/perso-api-keys.js';
import type { PersoSignin } from '../../components/signin/perso-signin.js';
import type { PersoSignup } from '../../components/signup/perso-signup.js';
import { FakeApi, apiError, json, testUser } from './helpers/fake-api.js';
import { button, buttons, deepActiveElement, input, mount, shown, text, type } from './helpers/mount.js';
import { mountLoaded, openDialog, sampleKeys, shadow, signedInApi } from './api-keys-fixtures.js';

const submitButton = (el: Element) => shadow(el).querySelector<HTMLButtonElement>('button[type="submit"]')!;
const focusTrail = () => `focus is on ${deepActiveElement()?.outerHTML.slice(0, 80) ?? 'nothing'}`;

async function signinReady(api: FakeApi): Promise<PersoSignin> {
  const el = await mount<PersoSignin>(html`<perso-signin></perso-signin>`, api.client);
  await waitUntil(() => buttons(el, 'Sign in').some((b) => (b as HTMLButtonElement).type === 'submit'), 'form never shown');
  return el;
}

describe('focus after each flow (followed through shadow roots)', () => {
  it('a non-field error puts focus on the submit button, not the heading', async () => {
    const api = new FakeApi();
    const held = api.hold('POST', '/api/signin');
    const el = await signinReady(api);
    type(input(el, 'Email'), 'ada@example.com');
    type(input(el, 'Password'), 'correct horse battery');
    submitButton(el).focus();
    submitButton(el).click();
    // Long enough for the browser to move focus off the disabled busy button.
    await waitUntil(() => deepActiveElement() === document.body, 'focus never left the busy button');
    held.release(apiError(500, 'internal_error', 'Something broke.'));
    await shown(el, 'Something went wrong on our side.');
    await waitUntil(() => deepActiveElement() === submitButton(el), focusTrail());
  });

  it('"Resend email" leaves focus on the code field while the button cools down', async () => {
    const api = new FakeApi()
      .reply('POST', '/api/signup', 202, { status: 'verification_sent', attempt: 'att_1', mailHeld: false })
      .reply('POST', '/api/verify-email/resend', 202, { status: 'verification_sent', mailHeld: false });
    const el = await mount<PersoSignup>(html`<perso-signup></perso-signup>`, api.client);
    await waitUntil(() => buttons(el, 'Create account').length > 0, 'form never shown');
    type(input(el, 'Email'), 'ada@example.com');
    type(input(el, 'Password'), 'correct horse battery');
    button(el, 'Create account').click();
    await shown(el, 'Resend email');
    button(el, 'Resend email').focus();
    button(el, 'Resend email').click();
    await shown(el, 'We sent a new verification email');
    expect(button(el, 'Resend email').disabled).to.equal(true);
    await waitUntil(() => deepActiveElement() === input(el, 'Verification code'), focusTrail());
  });

  it('signing in through the slotted <perso-signin> moves focus to the keys form', async () => {
    const api = new FakeApi().reply('POST', '/api/signin', 200, { user: testUser }).reply('GET', '/api/keys', 200, { keys: sampleKeys() });
    const el = await mount<PersoApiKeys>(html`<perso-api-keys><perso-signin slot="signed-out"></perso-signin></perso-api-keys>`, api.client);
    const signin = el.querySelector('perso-signin')!;
    await waitUntil(() => buttons(signin, 'Sign in').some((b) => (b as HTMLButtonElement).type === 'submit'), 'sign-in form never shown');
    type(input(signin, 'Email'), 'ada@example.com');
    type(input(signin, 'Password'), 'correct horse battery');
    submitButton(signin).focus();
    submitButton(signin).click();
    await waitUntil(() => shadow(el).querySelector('table'), 'the keys never showed');
    await waitUntil(() => deepActiveElement() === input(el, 'API Key Name'), focusTrail());
  });

  it('a sign-in elsewhere on the page keeps its focus; the keys form does not take it', async () => {
    const api = new FakeApi().reply('GET', '/api/keys', 200, { keys: sampleKeys() });
    const held = api.hold('POST', '/api/signin');
    const page = await mount<HTMLDivElement>(html`<div><perso-signin></perso-signin><perso-api-keys></perso-api-keys></div>`, api.client);
    const signin = page.querySelector('perso-signin')!;
    const keys = page.querySelector('perso-api-keys')!;
    await waitUntil(() => buttons(signin, 'Sign in').some((b) => (b as HTMLButtonElement).type === 'submit'), 'sign-in form never shown');
    type(input(signin, 'Email'), 'ada@example.com');
    type(input(signin, 'Password'), 'correct horse battery');
    submitButton(signin).focus();
    submitButton(signin).click();
    // The busy button drops focus on <body>, as in a real sign-in that takes a moment.
    await waitUntil(() => deepActiveElement() === document.body, 'focus never left the busy button');
    held.release(json(200, { user: testUser }));
    await waitUntil(() => shadow(keys).querySelector('table'), 'the keys never showed');
    await keys.updateComplete;
    await waitUntil(() => deepActiveElement() === shadow(signin).querySelector('h2'), focusTrail());
  });

  it('focus stays in the dialog while a delete runs', async () => {
    const api = signedInApi();
    const held = api.hold('DELETE', '/api/keys/key_1');
    const el = await mountLoaded(api);
    button(el, 'Delete Production').click();
    const dialog = await openDialog(el);
    const confirm = [...dialog.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Delete')!;
    confirm.focus();
    confirm.click();
    await el.updateComplete;
    expect(deepActiveElement()).to.equal(confirm);
    held.release(json(204));
    await waitUntil(() => deepActiveElement() === button(el, 'Delete Staging'), focusTrail());
  });
});

describe('perso-signed-out and a session that ends', () => {
  it('<perso-signin> says "signed_out" after its own "Sign out"', async () => {
    const api = new FakeApi().reply('GET', '/api/session', 200, { user: testUser }).reply('POST', '/api/signout', 204);
    const el = await mount<PersoSignin>(html`<perso-signin></perso-signin>`, api.client);
    await shown(el, 'Sign out');
    const event = oneEvent(el, 'perso-signed-out');
    button(el, 'Sign out').click();
    expect((await event).detail).to.deep.equal({ reason: 'signed_out' });
    await waitUntil(() => submitButton(el), 'the form never came back');
    expect(text(el)).not.to.contain('Your session ended');
  });

  it('<perso-signin> says "expired" and asks to sign in again when the session ends elsewhere', async () => {
    const api = new FakeApi().reply('GET', '/api/session', 200, { user: testUser });
    const el = await mount<PersoSignin>(html`<perso-signin></perso-signin>`, api.client);
    await shown(el, 'Sign out');
    api.reply('GET', '/api/session', 401, { error: { code: 'unauthenticated', message: 'Sign in first.' } });
    const event = oneEvent(el, 'perso-signed-out');
    void api.client.session();
    expect((await event).detail).to.deep.equal({ reason: 'expired' });
    await shown(el, 'Your session ended — sign in again');
  });

  it('says the session ended once: the keys element does, not the sign-in parked in its slot', async () => {
    const api = signedInApi();
    const el = await mount<PersoApiKeys>(html`<perso-api-keys><perso-signin slot="signed-out"></perso-signin></perso-api-keys>`, api.client);
    await waitUntil(() => shadow(el).querySelector('table'), 'the keys never showed');
    const signin = el.querySelector('perso-signin')!;
    api.reply('GET', '/api/session', 401, { error: { code: 'unauthenticated', message: 'Sign in first.' } });
    await api.client.session();
    await shown(el, 'Your session ended — sign in again');
    await waitUntil(() => submitButton(signin), 'the sign-in form never showed');
    expect(text(signin)).not.to.contain('Your session ended');
  });

  it('clears a sign-up alert once someone is signed in', async () => {
    const api = new FakeApi().handle('POST', '/api/signup', () => apiError(429, 'rate_limited', 'Slow down.', { headers: { 'retry-after': '30' } }));
    const el = await mount<PersoSignup>(html`<perso-signup></perso-signup>`, api.client);
    await waitUntil(() => buttons(el, 'Create account').length > 0, 'form never shown');
    type(input(el, 'Email'), 'ada@example.com');
    type(input(el, 'Password'), 'correct horse battery');
    button(el, 'Create account').click();
    await shown(el, 'Too many attempts');
    api.reply('GET', '/api/session', 200, { user: testUser });
    await api.client.session();
    await shown(el, 'Signed in as');
    expect(text(el)).not.to.contain('Too many attempts');
  });

  it('<perso-api-keys> keeps the typed name when the session is lost during create, says so, and puts it back', async () => {
    const api = signedInApi().handle('POST', '/api/keys', () => apiError(401, 'unauthenticated', 'Sign in first.'));
    const el = await mountLoaded(api);
    const signedOut = oneEvent(el, 'perso-signed-out');
    type(input(el, 'API Key Name'), 'Laptop');
    button(el, 'Create').focus();
    button(el, 'Create').click();
    expect((await signedOut).detail).to.deep.equal({ reason: 'expired' });
    await shown(el, 'Your session ended — sign in again. Your key name is kept.');
    await waitUntil(() => deepActiveElement()?.classList.contains('session-ended'), focusTrail());
    await expect(el).to.be.accessible();
    api.reply('GET', '/api/session', 200, { user: testUser });
    await api.client.session();
    await waitUntil(() => shadow(el).querySelector('table'), 'the keys never came back');
    expect(input(el, 'API Key Name').value).to.equal('Laptop');
    expect(text(el)).not.to.contain('Sign in first');
  });

  it('<perso-api-keys> closes the dialog when the session is lost during a delete, with focus on the message', async () => {
    const api = signedInApi().handle('DELETE', '/api/keys/key_1', () => apiError(401, 'unauthenticated', 'Sign in first.'));
    const el = await mountLoaded(api);
    button(el, 'Delete Production').click();
    const dialog = await openDialog(el);
    const confirm = [...dialog.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Delete')!;
    confirm.focus();
    confirm.click();
    await shown(el, 'Your session ended — sign in again');
    await waitUntil(() => !dialog.open, 'the dialog stayed open');
    await waitUntil(() => deepActiveElement()?.classList.contains('session-ended'), focusTrail());
  });

  it('clears a name error after a delete', async () => {
    const api = signedInApi().reply('DELETE', '/api/keys/key_1', 204);
    const el = await mountLoaded(api);
    button(el, 'Create').click();
    await shown(el, 'Enter a name');
    button(el, 'Delete Production').click();
    const dialog = await openDialog(el);
    [...dialog.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Delete')!.click();
    await waitUntil(() => !dialog.open, 'the dialog stayed open');
    await el.updateComplete;
    expect(shadow(el).querySelector('#name-error')).to.equal(null);
  });
});
