import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../components/signin/perso-signin.js';
import '../../components/signup/perso-signup.js';
import type { PersoSignin } from '../../components/signin/perso-signin.js';
import type { PersoSignup } from '../../components/signup/perso-signup.js';
import { apiError, FakeApi, orgConfig, testUser } from './helpers/fake-api.js';
import { creationOptions, type FakeWebAuthn, fakeWebAuthn, requestOptions } from './helpers/fake-webauthn.js';
import { button, input, mount, shown, text, type } from './helpers/mount.js';

const passkeyApi = () => new FakeApi().reply('GET', '/api/config', 200, orgConfig({ passkey: true }));
const alertText = (el: Element) => el.shadowRoot!.querySelector('[part~="alert"]')?.textContent?.replace(/\s+/g, ' ').trim();

async function ready<T extends HTMLElement>(tag: 'perso-signup' | 'perso-signin', api: FakeApi, label: string): Promise<T> {
  const el = await mount<T>(tag === 'perso-signup' ? html`<perso-signup></perso-signup>` : html`<perso-signin></perso-signin>`, api.client);
  await waitUntil(() => text(el).includes(label), `"${label}" never shown`);
  return el;
}

let webauthn: FakeWebAuthn | undefined;
afterEach(() => {
  webauthn?.restore();
  webauthn = undefined;
});

describe('<perso-signup> with a passkey', () => {
  const signupApi = () =>
    passkeyApi()
      .reply('POST', '/api/passkeys/signup/options', 200, { options: creationOptions() })
      .reply('POST', '/api/passkeys/signup/verify', 202, { status: 'verification_sent', attempt: 'att_1', mailHeld: false });

  it('asks for the email first, without starting a ceremony', async () => {
    webauthn = fakeWebAuthn();
    const api = signupApi();
    const el = await ready<PersoSignup>('perso-signup', api, 'Sign up with a passkey');
    button(el, 'Sign up with a passkey').click();
    await shown(el, 'Enter your email address.');
    expect(api.callsTo('POST', '/api/passkeys/signup/options')).to.have.length(0);
    expect(webauthn.calls).to.have.length(0);
  });

  it('creates the passkey for the typed email, then shows the check-inbox step with the code field', async () => {
    webauthn = fakeWebAuthn();
    const api = signupApi();
    const el = await ready<PersoSignup>('perso-signup', api, 'Sign up with a passkey');
    type(input(el, 'Email'), 'ada@example.com');
    const signedUp = oneEvent(el, 'perso-signed-up');
    button(el, 'Sign up with a passkey').click();
    expect((await signedUp).detail).to.deep.equal({ email: 'ada@example.com', method: 'passkey' });
    expect(api.last('POST', '/api/passkeys/signup/options')!.body).to.deep.equal({ email: 'ada@example.com', organization: 'default' });
    const verify = api.last('POST', '/api/passkeys/signup/verify')!.body as Record<string, unknown>;
    expect(verify.email).to.equal('ada@example.com');
    expect((verify.response as { id: string }).id).to.equal('bmV3LWNyZWQ');
    expect(webauthn.calls[0]!.kind).to.equal('create');
    await shown(el, 'Check your email inbox for a verification message');
    await shown(el, 'Verification code');
    expect(input(el, 'Verification code')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('says so when the ceremony is cancelled, and stays usable', async () => {
    webauthn = fakeWebAuthn({ create: 'NotAllowedError' });
    const api = signupApi();
    const el = await ready<PersoSignup>('perso-signup', api, 'Sign up with a passkey');
    type(input(el, 'Email'), 'ada@example.com');
    const failed = oneEvent(el, 'perso-error');
    button(el, 'Sign up with a passkey').click();
    expect((await failed).detail.code).to.equal('passkey_cancelled');
    await waitUntil(() => alertText(el) === 'The passkey request was cancelled or timed out. Try again when you are ready.');
    expect(api.callsTo('POST', '/api/passkeys/signup/verify')).to.have.length(0);
    expect(button(el, 'Sign up with a passkey').disabled).to.equal(false);
    expect(button(el, 'Create account').disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('fetches the options ahead when the button is about to be pressed', async () => {
    webauthn = fakeWebAuthn();
    const api = signupApi();
    const el = await ready<PersoSignup>('perso-signup', api, 'Sign up with a passkey');
    type(input(el, 'Email'), 'ada@example.com');
    button(el, 'Sign up with a passkey').dispatchEvent(new PointerEvent('pointerenter'));
    await waitUntil(() => api.callsTo('POST', '/api/passkeys/signup/options').length === 1);
    const signedUp = oneEvent(el, 'perso-signed-up');
    button(el, 'Sign up with a passkey').click();
    await signedUp;
    // The click used the options fetched ahead: one challenge, not two.
    expect(api.callsTo('POST', '/api/passkeys/signup/options')).to.have.length(1);
  });

  it('hides the button where the organization has passkeys off', async () => {
    const el = await ready<PersoSignup>('perso-signup', new FakeApi(), 'Create account');
    expect(text(el)).not.to.contain('Sign up with a passkey');
  });
});

describe('<perso-signin> with a passkey', () => {
  const signinApi = () =>
    passkeyApi()
      .reply('POST', '/api/passkeys/signin/options', 200, { options: requestOptions() })
      .reply('POST', '/api/passkeys/signin/verify', 200, { user: testUser });

  it('offers passkeys in the email field’s autofill, and cancels that when the element leaves the page', async () => {
    webauthn = fakeWebAuthn();
    const el = await ready<PersoSignin>('perso-signin', signinApi(), 'Sign in with a passkey');
    expect(input(el, 'Email').getAttribute('autocomplete')).to.equal('username webauthn');
    await waitUntil(() => webauthn!.calls.some((c) => c.kind === 'get'), 'no conditional request');
    const conditional = webauthn.calls.find((c) => c.kind === 'get')!.options as CredentialRequestOptions;
    expect(conditional.mediation).to.equal('conditional');
    expect(conditional.signal!.aborted).to.equal(false);
    el.remove();
    await waitUntil(() => conditional.signal!.aborted, 'the autofill ceremony was not cancelled');
  });

  it('signs in with the button (the autofill request gives way)', async () => {
    webauthn = fakeWebAuthn();
    const api = signinApi();
    const el = await ready<PersoSignin>('perso-signin', api, 'Sign in with a passkey');
    await waitUntil(() => webauthn!.calls.length === 1);
    const conditional = webauthn.calls[0]!.options as CredentialRequestOptions;
    const signedIn = oneEvent(el, 'perso-signed-in');
    button(el, 'Sign in with a passkey').click();
    expect((await signedIn).detail.user).to.deep.equal(testUser);
    expect(conditional.signal!.aborted).to.equal(true);
    expect((api.last('POST', '/api/passkeys/signin/verify')!.body as { response: { id: string } }).response.id).to.equal('a25vd24');
    await shown(el, 'Signed in as ada@example.com');
  });

  it('is reached and pressed with the keyboard', async () => {
    webauthn = fakeWebAuthn();
    const el = await ready<PersoSignin>('perso-signin', signinApi(), 'Sign in with a passkey');
    button(el, 'Sign in with a passkey').focus();
    const signedIn = oneEvent(el, 'perso-signed-in');
    await sendKeys({ press: 'Enter' });
    await signedIn;
  });

  it('tells the browser to forget a passkey the server does not know, and says what to do', async () => {
    webauthn = fakeWebAuthn();
    const api = signinApi().handle('POST', '/api/passkeys/signin/verify', () => apiError(401, 'passkey_unknown'));
    const el = await ready<PersoSignin>('perso-signin', api, 'Sign in with a passkey');
    const failed = oneEvent(el, 'perso-error');
    button(el, 'Sign in with a passkey').click();
    expect((await failed).detail.code).to.equal('passkey_unknown');
    await waitUntil(() => alertText(el) === 'This passkey is not registered here. Use another passkey or another way to sign in.');
    expect(webauthn.signals).to.deep.equal([{ rpId: 'localhost', credentialId: 'a25vd24' }]);
    expect(button(el, 'Sign in').disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('keeps the plain email autocomplete where passkeys are off', async () => {
    webauthn = fakeWebAuthn();
    const el = await ready<PersoSignin>('perso-signin', new FakeApi(), 'Forgot password?');
    expect(input(el, 'Email').getAttribute('autocomplete')).to.equal('username');
    expect(webauthn.calls).to.have.length(0);
  });
});

describe('<perso-signup> with passkeys only', () => {
  it('asks for the email above the passkey button, and Enter there starts the passkey', async () => {
    webauthn = fakeWebAuthn();
    const api = new FakeApi()
      .reply('GET', '/api/config', 200, orgConfig({ password: false, passkey: true }))
      .reply('POST', '/api/passkeys/signup/options', 200, { options: creationOptions() })
      .reply('POST', '/api/passkeys/signup/verify', 202, { status: 'verification_sent', attempt: 'att_1', mailHeld: false });
    const el = await ready<PersoSignup>('perso-signup', api, 'Sign up with a passkey');
    expect(text(el)).not.to.contain('Password');
    const email = input(el, 'Email');
    type(email, 'ada@example.com');
    email.focus();
    const signedUp = oneEvent(el, 'perso-signed-up');
    await sendKeys({ press: 'Enter' });
    expect((await signedUp).detail).to.deep.equal({ email: 'ada@example.com', method: 'passkey' });
    await shown(el, 'Check your email inbox for a verification message');
  });
});
