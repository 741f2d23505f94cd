import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/signin/perso-signin.js';
import '../../components/signup/perso-signup.js';
import { PersoSignin } from '../../components/signin/perso-signin.js';
import type { PersoSignup } from '../../components/signup/perso-signup.js';
import { FakeApi, apiError, json, orgConfig, testUser } from './helpers/fake-api.js';
import { button, buttons, input, mount, shown, text, type } from './helpers/mount.js';

const mountSignin = (api = new FakeApi(), template = html`<perso-signin></perso-signin>`) => mount<PersoSignin>(template, api.client);

async function formReady(api = new FakeApi()): Promise<PersoSignin> {
  const el = await mountSignin(api);
  await waitUntil(() => buttons(el, 'Sign in').some((b) => (b as HTMLButtonElement).type === 'submit'), 'form never shown');
  return el;
}

const shadow = (el: Element) => el.shadowRoot!;
const has = (el: Element, selector: string) => shadow(el).querySelector(selector) !== null;
const fieldError = (el: Element, field: string) => shadow(el).getElementById(`${field}-error`)?.textContent ?? undefined;
const alertText = (el: Element) => shadow(el).querySelector('[part~="alert"]')?.textContent?.replace(/\s+/g, ' ').trim();
const submitButton = (el: Element) => shadow(el).querySelector<HTMLButtonElement>('button[type="submit"]')!;

function signIn(el: Element, email = 'ada@example.com', password = 'correct horse battery'): void {
  type(input(el, 'Email'), email);
  type(input(el, 'Password'), password);
  submitButton(el).click();
}

describe('<perso-signin> loading and config', () => {
  it('is defined as perso-signin', () => {
    expect(customElements.get('perso-signin')).to.equal(PersoSignin);
  });

  it('shows a loading status, then the form', async () => {
    const api = new FakeApi();
    const held = api.hold('GET', '/api/config');
    const el = await mountSignin(api);
    await shown(el, 'Loading…');
    expect(shadow(el).querySelector('h2')!.textContent).to.equal('Sign in');
    expect(shadow(el).querySelector('[role="status"]')!.textContent).to.contain('Loading…');
    await expect(el).to.be.accessible();
    held.release(json(200, orgConfig()));
    await shown(el, 'Password');
    expect(has(el, '[role="status"]')).to.equal(false);
  });

  it('shows a config error with a retry', async () => {
    const api = new FakeApi().fail('GET', '/api/config');
    const el = await mountSignin(api);
    await shown(el, 'Could not reach the server.');
    expect(alertText(el)).to.equal('This form could not be loaded. Could not reach the server. Check your connection and try again.');
    await expect(el).to.be.accessible();
    api.reply('GET', '/api/config', 200, orgConfig());
    button(el, 'Try again').click();
    await shown(el, 'Password');
    expect(submitButton(el).textContent!.trim()).to.equal('Sign in');
  });
});

describe('<perso-signin> form', () => {
  it('renders the contract labels with a current-password field and no hint', async () => {
    const el = await formReady();
    expect(shadow(el).querySelector('h2')!.textContent).to.equal('Sign in');
    expect(input(el, 'Email').type).to.equal('email');
    expect(input(el, 'Password').autocomplete).to.equal('current-password');
    expect(input(el, 'Password').hasAttribute('aria-describedby')).to.equal(false);
    expect(submitButton(el).textContent!.trim()).to.equal('Sign in');
    expect(buttons(el, 'Sign in with a passkey')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('shows the passkey and social buttons the organization enables', async () => {
    const api = new FakeApi().reply('GET', '/api/config', 200, orgConfig({ passkey: true, social: [{ id: 'oidc', name: 'Acme SSO' }] }));
    const el = await formReady(api);
    expect(button(el, 'Sign in with a passkey')).to.be.instanceOf(HTMLButtonElement);
    expect(buttons(el, 'Continue with').map((b) => b.textContent!.trim())).to.deep.equal(['Continue with Acme SSO']);
    const visited: string[] = [];
    (el as unknown as { navigate: (url: string) => void }).navigate = (url) => visited.push(url);
    button(el, 'Continue with Acme SSO').click();
    expect(visited[0]).to.equal(`http://perso.test/api/oauth/oidc/start?organization=default&return_to=${encodeURIComponent(location.href)}`);
    await expect(el).to.be.accessible();
  });

  it('marks each provider button with a named logo', async () => {
    const api = new FakeApi().reply('GET', '/api/config', 200, orgConfig({ social: [{ id: 'github', name: 'GitHub' }, { id: 'google', name: 'Google' }] }));
    const el = await formReady(api);
    const marks = [...shadow(el).querySelectorAll('[part~="social-button"] svg[role="img"]')].map((svg) => svg.getAttribute('aria-label'));
    expect(marks).to.deep.equal(['GitHub logo', 'Google logo']);
    // Drawn, not just named: the shapes must be SVG elements for the browser to paint them.
    for (const svg of shadow(el).querySelectorAll('[part~="social-button"] svg')) {
      expect(svg.querySelector('path')).to.be.instanceOf(SVGPathElement);
      expect(svg.getBoundingClientRect().width).to.be.greaterThan(0);
    }
    await expect(el).to.be.accessible();
  });

  it('shows the sentence for perso_error on return from a provider, emits it, and removes it from the URL', async () => {
    const before = location.href;
    history.replaceState(null, '', `${location.pathname}?keep=1&perso_error=oauth_cancelled`);
    try {
      const api = new FakeApi()
        .reply('GET', '/api/config', 200, orgConfig({ social: [{ id: 'github', name: 'GitHub' }] }))
        .handle('POST', '/api/signin', () => apiError(401, 'invalid_credentials', 'Wrong email or password.'));
      const errors: string[] = [];
      document.addEventListener('perso-error', (e) => errors.push((e as CustomEvent<{ code: string }>).detail.code), { once: true });
      const el = await formReady(api);
      expect(alertText(el)).to.equal('Sign-in with the provider was cancelled. Try again, or use another way to sign in.');
      expect(errors).to.deep.equal(['oauth_cancelled']);
      expect(location.search).to.equal('?keep=1');
      // Typing and sending again clears it, like any other alert.
      signIn(el);
      await waitUntil(() => alertText(el) !== undefined && !alertText(el)!.includes('cancelled'), 'the returned error stayed');
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('back from a provider that did not vouch for the email: the mailed code completes the waiting attempt here', async () => {
    const before = location.href;
    history.replaceState(null, '', `${location.pathname}?perso_attempt=att_9`);
    try {
      const api = new FakeApi()
        .reply('GET', '/api/config', 200, orgConfig({ social: [{ id: 'github', name: 'GitHub' }] }))
        .reply('POST', '/api/verify-email', 200, { user: testUser });
      const el = await formReady(api);
      // The sentence comes with the code field, in the code step's chunk.
      await shown(el, 'We sent you an email to confirm your address.');
      expect(location.search).to.equal('');
      await expect(el).to.be.accessible();
      const signedIn = oneEvent(el, 'perso-signed-in');
      await shown(el, 'Verification code');
      type(input(el, 'Verification code'), '123 456');
      button(el, 'Verify').click();
      expect((await signedIn).detail).to.deep.equal({ user: testUser });
      expect(api.last('POST', '/api/verify-email')!.body).to.deep.equal({ attempt: 'att_9', code: '123456' });
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('offers the providers to a signed-in person, to link one, and shows a refused link there', async () => {
    const before = location.href;
    history.replaceState(null, '', `${location.pathname}?perso_error=identity_in_use`);
    try {
      const api = new FakeApi()
        .reply('GET', '/api/session', 200, { user: testUser })
        .reply('GET', '/api/config', 200, orgConfig({ social: [{ id: 'github', name: 'GitHub' }] }));
      const el = await mountSignin(api);
      await shown(el, 'Signed in as ada@example.com');
      expect(text(el)).to.contain('Add another way to sign in');
      expect(alertText(el)).to.equal('This provider account is already linked to another account. Sign in to that account instead.');
      const visited: string[] = [];
      (el as unknown as { navigate: (url: string) => void }).navigate = (url) => visited.push(url);
      button(el, 'Continue with GitHub').click();
      expect(new URL(visited[0]!).pathname).to.equal('/api/oauth/github/start');
      await expect(el).to.be.accessible();
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('leaves perso_error to the element that went to the provider', async () => {
    const before = location.href;
    sessionStorage.setItem('perso:social-from', 'perso-signup');
    history.replaceState(null, '', `${location.pathname}?perso_error=oauth_unavailable`);
    try {
      const el = await formReady(new FakeApi());
      expect(alertText(el)).to.equal(undefined);
      expect(location.search).to.equal('?perso_error=oauth_unavailable');
    } finally {
      sessionStorage.removeItem('perso:social-from');
      history.replaceState(null, '', before);
    }
  });

  it('requires both fields but no password length, and sends nothing while invalid', async () => {
    const api = new FakeApi();
    const el = await formReady(api);
    submitButton(el).click();
    await el.updateComplete;
    expect(fieldError(el, 'email')).to.equal('Enter your email address.');
    expect(fieldError(el, 'password')).to.equal('Enter your password.');
    expect(input(el, 'Password').getAttribute('aria-describedby')).to.equal('password-error');
    expect(api.callsTo('POST', '/api/signin')).to.have.length(0);
    await expect(el).to.be.accessible();

    api.reply('POST', '/api/signin', 200, { user: testUser });
    signIn(el, 'ada@example.com', 'short');
    await waitUntil(() => api.callsTo('POST', '/api/signin').length === 1, 'sign-in not sent');
  });
});

describe('<perso-signin> submitting', () => {
  it('shows a busy state while signing in', async () => {
    const api = new FakeApi();
    const held = api.hold('POST', '/api/signin');
    const el = await formReady(api);
    signIn(el);
    await shown(el, 'Signing in…');
    expect(submitButton(el).disabled).to.equal(true);
    expect(shadow(el).querySelector('form')!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    held.release(json(200, { user: testUser }));
    await shown(el, 'Signed in as ada@example.com');
  });

  it('signs in, emits perso-signed-in, focuses the heading and updates elements sharing the client', async () => {
    const api = new FakeApi().reply('POST', '/api/signin', 200, { user: testUser });
    const provider = await mount<HTMLElement>(html`<div><perso-signin></perso-signin><perso-signup></perso-signup></div>`, api.client);
    const el = provider.querySelector('perso-signin')!;
    const signup = provider.querySelector<PersoSignup>('perso-signup')!;
    await shown(signup, 'Create account');
    await waitUntil(() => submitButton(el), 'form never shown');
    const event = oneEvent(el, 'perso-signed-in');
    signIn(el, 'ada@example.com', 'correct horse battery');
    const { detail, composed } = await event;
    expect(detail).to.deep.equal({ user: testUser });
    expect(composed).to.equal(true);
    expect(api.last('POST', '/api/signin')!.body).to.deep.equal({ email: 'ada@example.com', password: 'correct horse battery' });
    await shown(el, 'Signed in as ada@example.com');
    await waitUntil(() => shadow(el).activeElement === shadow(el).querySelector('h2'), 'heading not focused');
    await shown(signup, 'Signed in as ada@example.com');
    await expect(el).to.be.accessible();
  });

  it('gives one neutral message for wrong credentials and clears the password', async () => {
    const api = new FakeApi().handle('POST', '/api/signin', () => apiError(401, 'invalid_credentials', 'Wrong email or password.'));
    const el = await formReady(api);
    const event = oneEvent(el, 'perso-error');
    signIn(el);
    expect((await event).detail).to.deep.equal({ code: 'invalid_credentials', message: 'The email or password is incorrect.' });
    await shown(el, 'The email or password is incorrect.');
    expect(shadow(el).querySelector('[part~="alert"]')!.getAttribute('role')).to.equal('alert');
    expect(input(el, 'Password').value).to.equal('');
    expect(input(el, 'Email').value).to.equal('ada@example.com');
    await waitUntil(() => shadow(el).activeElement === input(el, 'Password'), 'password not focused');
    await expect(el).to.be.accessible();
  });

  it('asks for the code of an unverified sign-up, with a resend of that attempt', async () => {
    const api = new FakeApi()
      .handle('POST', '/api/signin', () => json(403, { error: { code: 'email_not_verified', message: 'Verify first.', attempt: 'att_7' } }))
      .reply('POST', '/api/verify-email/resend', 202, { status: 'verification_sent', mailHeld: false });
    const el = await formReady(api);
    const event = oneEvent(el, 'perso-error');
    signIn(el, 'new@example.com');
    expect((await event).detail.code).to.equal('email_not_verified');
    await shown(el, 'Verify your email address');
    // The lead and the code field come in a chunk of their own, fetched once the step needs it.
    await shown(el, 'new@example.com');
    await shown(el, 'Verification code');
    expect(input(el, 'Verification code')).to.exist;
    await waitUntil(() => shadow(el).activeElement === shadow(el).querySelector('h2'), 'heading not focused');
    await expect(el).to.be.accessible();
    button(el, 'Resend email').click();
    await shown(el, 'We sent a new verification email to new@example.com.');
    expect(api.last('POST', '/api/verify-email/resend')!.body).to.deep.equal({ attempt: 'att_7' });
    expect(button(el, 'Resend email').disabled).to.equal(true);
    expect(button(el, 'Resend email').textContent).to.match(/\((30|29) s\)/);
    await expect(el).to.be.accessible();
  });

  it('signs in with the code of an unverified sign-up', async () => {
    const api = new FakeApi()
      .handle('POST', '/api/signin', () => json(403, { error: { code: 'email_not_verified', message: 'Verify first.', attempt: 'att_7' } }))
      .reply('POST', '/api/verify-email', 200, { user: testUser });
    const el = await formReady(api);
    signIn(el, 'ada@example.com');
    await shown(el, 'Verification code');
    type(input(el, 'Verification code'), '654321');
    const event = oneEvent(el, 'perso-signed-in');
    button(el, 'Verify').click();
    expect((await event).detail).to.deep.equal({ user: testUser });
    expect(api.last('POST', '/api/verify-email')!.body).to.deep.equal({ attempt: 'att_7', code: '654321' });
    await shown(el, 'Signed in as ada@example.com');
  });

  it('goes back from the code step to the form with the email kept', async () => {
    const api = new FakeApi().handle('POST', '/api/signin', () => json(403, { error: { code: 'email_not_verified', message: 'Verify first.', attempt: 'att_7' } }));
    const el = await formReady(api);
    signIn(el, 'ada@example.com');
    await shown(el, 'Verification code');
    button(el, 'Back to sign in').click();
    await waitUntil(() => submitButton(el), 'form never shown');
    expect(input(el, 'Email').value).to.equal('ada@example.com');
    expect(input(el, 'Password').value).to.equal('');
  });

  it('shows 422 field messages next to the fields', async () => {
    const api = new FakeApi().handle('POST', '/api/signin', () =>
      apiError(422, 'validation_failed', 'Check the fields.', { fields: { email: 'Email is too long.' } }),
    );
    const el = await formReady(api);
    signIn(el);
    await shown(el, 'Email is too long.');
    expect(fieldError(el, 'email')).to.equal('Email is too long.');
    expect(input(el, 'Email').getAttribute('aria-invalid')).to.equal('true');
    expect(alertText(el)).to.equal(undefined);
  });

  it('reports rate limiting and network failures in words', async () => {
    const api = new FakeApi().handle('POST', '/api/signin', () => apiError(429, 'rate_limited', 'Slow down.', { headers: { 'Retry-After': '1' } }));
    const el = await formReady(api);
    signIn(el);
    await shown(el, 'Too many attempts. Try again in 1 second.');
    expect(submitButton(el).disabled).to.equal(true);
    await expect(el).to.be.accessible();
    await waitUntil(() => !submitButton(el).disabled, 'the countdown never ended', { timeout: 2500 });

    api.fail('POST', '/api/signin');
    const event = oneEvent(el, 'perso-error');
    type(input(el, 'Password'), 'again');
    submitButton(el).click();
    expect((await event).detail.code).to.equal('network_error');
    await shown(el, 'Could not reach the server. Check your connection and try again.');
    expect(text(el)).not.to.contain('Too many attempts');
  });
});

describe('<perso-signin> forgot password', () => {
  it('sends a reset link for the typed email, then says to check the inbox', async () => {
    const api = new FakeApi().reply('POST', '/api/password-reset', 202, { status: 'reset_sent' });
    const el = await formReady(api);
    type(input(el, 'Email'), 'ada@example.com');
    button(el, 'Forgot password?').click();
    await shown(el, 'Reset your password');
    await waitUntil(() => shadow(el).activeElement === shadow(el).querySelector('h2'), 'heading not focused');
    expect(input(el, 'Email').value).to.equal('ada@example.com');
    expect(() => input(el, 'Password')).to.throw();
    await expect(el).to.be.accessible();
    button(el, 'Send reset link').click();
    await shown(el, 'Check your email inbox');
    expect(api.last('POST', '/api/password-reset')!.body).to.deep.equal({ email: 'ada@example.com', locale: 'en' });
    expect(text(el)).to.contain('ada@example.com');
    await expect(el).to.be.accessible();
    button(el, 'Back to sign in').click();
    await waitUntil(() => submitButton(el), 'form never shown');
  });

  it('checks the email before asking for a reset', async () => {
    const api = new FakeApi();
    const el = await formReady(api);
    button(el, 'Forgot password?').click();
    await shown(el, 'Send reset link');
    button(el, 'Send reset link').click();
    await shown(el, 'Enter your email address.');
    expect(api.callsTo('POST', '/api/password-reset')).to.have.length(0);
  });
});

describe('<perso-signin> signed in', () => {
  it('shows the signed-in user and signs out', async () => {
    const api = new FakeApi().reply('GET', '/api/session', 200, { user: testUser }).reply('POST', '/api/signout', 204);
    const el = await mountSignin(api);
    await shown(el, 'Signed in as ada@example.com');
    expect(has(el, 'form')).to.equal(false);
    await expect(el).to.be.accessible();
    button(el, 'Sign out').click();
    await waitUntil(() => has(el, 'form'), 'form never shown after sign-out');
    expect(api.client.user).to.equal(null);
  });

  it('stays signed in and says why when signing out fails', async () => {
    const api = new FakeApi().reply('GET', '/api/session', 200, { user: testUser }).fail('POST', '/api/signout');
    const el = await mountSignin(api);
    await shown(el, 'Signed in as ada@example.com');
    button(el, 'Sign out').click();
    await shown(el, 'Could not reach the server.');
    expect(text(el)).to.contain('Signed in as ada@example.com');
    expect(button(el, 'Sign out').disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });
});
