import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../components/signup/perso-signup.js';
import { PersoSignup } from '../../components/signup/perso-signup.js';
import { FakeApi, apiError, json, orgConfig, testUser } from './helpers/fake-api.js';
import { button, buttons, input, mount, shown, text, type } from './helpers/mount.js';

const ACCEPTED = { status: 'verification_sent', attempt: 'att_1', mailHeld: false };

async function mountSignup(api = new FakeApi(), template = html`<perso-signup></perso-signup>`): Promise<PersoSignup> {
  const el = await mount<PersoSignup>(template, api.client);
  return el;
}

async function formReady(api = new FakeApi()): Promise<PersoSignup> {
  const el = await mountSignup(api);
  await shown(el, 'Create account');
  return el;
}

function fill(el: Element, email: string, password: string): void {
  type(input(el, 'Email'), email);
  type(input(el, 'Password'), password);
}

function submit(el: Element): void {
  button(el, 'Create account').click();
}

const shadow = (el: Element) => el.shadowRoot!;
const has = (el: Element, selector: string) => shadow(el).querySelector(selector) !== null;
/** The error text under a field, or undefined. (Comparing elements in chai can crash the runner on failure.) */
const fieldError = (el: Element, field: string) => shadow(el).getElementById(`${field}-error`)?.textContent ?? undefined;
const alertText = (el: Element) => shadow(el).querySelector('[role="alert"]')?.textContent?.replace(/\s+/g, ' ').trim();

/** Signs up successfully and waits for the check-your-inbox step. */
async function signedUp(api = new FakeApi()): Promise<PersoSignup> {
  api.reply('POST', '/api/signup', 202, ACCEPTED);
  const el = await formReady(api);
  fill(el, 'ada@example.com', 'correct horse battery');
  submit(el);
  await shown(el, 'Check your email inbox for a verification message');
  // The code field and "Resend email" arrive with their chunk.
  await shown(el, 'Resend email');
  return el;
}

describe('<perso-signup> loading and config', () => {
  it('is defined as perso-signup', () => {
    expect(customElements.get('perso-signup')).to.equal(PersoSignup);
    expect(document.createElement('perso-signup')).to.be.instanceOf(PersoSignup);
  });

  it('shows the heading and a loading status while the config loads', async () => {
    const api = new FakeApi();
    const held = api.hold('GET', '/api/config');
    const el = await mountSignup(api);
    await shown(el, 'Loading…');
    expect(shadow(el).querySelector('h2')!.textContent).to.equal('Create your account');
    expect(shadow(el).querySelector('[role="status"]')!.textContent).to.contain('Loading…');
    expect(has(el, 'form')).to.equal(false);
    await expect(el).to.be.accessible();
    held.release(json(200, orgConfig()));
    await shown(el, 'Create account');
  });

  it('asks the config for its organization', async () => {
    const api = new FakeApi();
    const el = await mountSignup(api, html`<perso-signup organization="acme corp"></perso-signup>`);
    await shown(el, 'Create account');
    expect(api.last('GET', '/api/config')!.url.searchParams.get('organization')).to.equal('acme corp');
  });

  it('shows a config error with a retry that loads the form', async () => {
    const api = new FakeApi().handle('GET', '/api/config', () => apiError(404, 'unknown_organization', 'There is no organization "nope".'));
    const el = await mountSignup(api);
    await shown(el, 'There is no organization with this id.');
    expect(alertText(el)).to.equal('This form could not be loaded. There is no organization with this id.');
    await expect(el).to.be.accessible();

    api.reply('GET', '/api/config', 200, orgConfig());
    button(el, 'Try again').click();
    await shown(el, 'Create account');
    expect(api.callsTo('GET', '/api/config')).to.have.length(2);
  });

  it('treats an unreachable server as a config error', async () => {
    const api = new FakeApi().fail('GET', '/api/config');
    const el = await mountSignup(api);
    await shown(el, 'Could not reach the server.');
    expect(button(el, 'Try again')).to.exist;
  });
});

describe('<perso-signup> form', () => {
  it('renders the contract labels, a labelled form and the organization name', async () => {
    const el = await formReady();
    expect(shadow(el).querySelector('h2')!.textContent).to.equal('Create your account');
    expect(text(el)).to.contain('to continue to Acme');
    const email = input(el, 'Email');
    const password = input(el, 'Password');
    expect(email.type).to.equal('email');
    expect(email.autocomplete).to.equal('username');
    expect(password.type).to.equal('password');
    expect(password.autocomplete).to.equal('new-password');
    expect(password.getAttribute('aria-describedby')).to.equal('password-hint');
    expect(button(el, 'Create account').type).to.equal('submit');
    expect(buttons(el, 'Sign up with a passkey')).to.have.length(0);
    expect(buttons(el, 'Continue with')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('shows a passkey button and one button per social provider when enabled', async () => {
    const api = new FakeApi().reply('GET', '/api/config', 200, orgConfig({
      passkey: true,
      social: [{ id: 'github', name: 'GitHub' }, { id: 'google', name: 'Google' }],
    }));
    const el = await formReady(api);
    expect(button(el, 'Sign up with a passkey')).to.exist;
    expect(buttons(el, 'Continue with').map((b) => b.textContent!.trim())).to.deep.equal(['Continue with GitHub', 'Continue with Google']);
    expect(text(el)).to.contain('or');
    await expect(el).to.be.accessible();
  });

  it('sends the browser to the provider start URL with organization and return_to', async () => {
    const api = new FakeApi().reply('GET', '/api/config', 200, orgConfig({ social: [{ id: 'github', name: 'GitHub' }] }));
    const el = await mountSignup(api, html`<perso-signup organization="acme"></perso-signup>`);
    await shown(el, 'Continue with GitHub');
    const visited: string[] = [];
    (el as unknown as { navigate: (url: string) => void }).navigate = (url) => visited.push(url);
    button(el, 'Continue with GitHub').click();
    expect(visited).to.have.length(1);
    const url = new URL(visited[0]);
    expect(url.origin + url.pathname).to.equal('http://perso.test/api/oauth/github/start');
    expect(url.searchParams.get('organization')).to.equal('acme');
    expect(url.searchParams.get('return_to')).to.equal(location.href);
  });

  it('leaves out the password form when only social sign-up is enabled', async () => {
    const api = new FakeApi().reply('GET', '/api/config', 200, orgConfig({ password: false, social: [{ id: 'google', name: 'Google' }] }));
    const el = await mountSignup(api);
    await shown(el, 'Continue with Google');
    expect(has(el, 'form')).to.equal(false);
    expect(buttons(el, 'Create account')).to.have.length(0);
  });

  it('toggles the password visibility with a pressed-state button', async () => {
    const el = await formReady();
    const toggle = button(el, 'Show password');
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    expect(input(el, 'Password').type).to.equal('text');
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    toggle.click();
    await el.updateComplete;
    expect(input(el, 'Password').type).to.equal('password');
  });
});

describe('<perso-signup> validation', () => {
  it('explains empty fields next to them, focuses the first and sends nothing', async () => {
    const api = new FakeApi();
    const el = await formReady(api);
    submit(el);
    await el.updateComplete;
    const email = input(el, 'Email');
    const password = input(el, 'Password');
    expect(email.getAttribute('aria-invalid')).to.equal('true');
    expect(email.getAttribute('aria-describedby')).to.equal('email-error');
    expect(fieldError(el, 'email')).to.equal('Enter your email address.');
    expect(shadow(el).getElementById('email-error')!.getAttribute('role')).to.equal('alert');
    expect(password.getAttribute('aria-describedby')).to.equal('password-hint password-error');
    expect(fieldError(el, 'password')).to.equal('Enter your password.');
    await waitUntil(() => shadow(el).activeElement === email, 'email field not focused');
    expect(api.callsTo('POST', '/api/signup')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('rejects a malformed email and a password outside 8–256 characters', async () => {
    const el = await formReady();
    fill(el, 'ada@example', 'short');
    submit(el);
    await el.updateComplete;
    expect(fieldError(el, 'email')).to.contain('valid email address');
    expect(fieldError(el, 'password')).to.equal('Use at least 8 characters.');

    type(input(el, 'Password'), 'x'.repeat(257));
    await el.updateComplete;
    expect(fieldError(el, 'password')).to.equal('Use at most 256 characters.');
    type(input(el, 'Password'), 'x'.repeat(256));
    await el.updateComplete;
    expect(fieldError(el, 'password')).to.equal(undefined);
    expect(input(el, 'Password').getAttribute('aria-invalid')).to.equal('false');
  });

  it('checks a field when it loses focus, not while untouched', async () => {
    const el = await formReady();
    const email = input(el, 'Email');
    email.dispatchEvent(new FocusEvent('blur'));
    await el.updateComplete;
    expect(fieldError(el, 'email')).to.equal(undefined);
    type(email, 'not-an-email');
    email.dispatchEvent(new FocusEvent('blur'));
    await el.updateComplete;
    expect(fieldError(el, 'email')).to.be.a('string');
    type(email, 'ada@example.com');
    await el.updateComplete;
    expect(fieldError(el, 'email')).to.equal(undefined);
  });
});

describe('<perso-signup> submitting', () => {
  it('shows a busy state while the request runs', async () => {
    const api = new FakeApi();
    const held = api.hold('POST', '/api/signup');
    const el = await formReady(api);
    fill(el, 'ada@example.com', 'correct horse battery');
    submit(el);
    await shown(el, 'Creating account…');
    const submitButton = button(el, 'Creating account…');
    expect(submitButton.disabled).to.equal(true);
    expect(shadow(el).querySelector('form')!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    held.release(json(202, ACCEPTED));
    await shown(el, 'Check your email inbox');
  });

  it('posts the sign-up, emits perso-signed-up and moves focus to the check-your-inbox heading', async () => {
    const api = new FakeApi().reply('POST', '/api/signup', 202, ACCEPTED);
    const el = await formReady(api);
    fill(el, '  ada@example.com ', 'correct horse battery');
    const event = oneEvent(el, 'perso-signed-up');
    submit(el);
    const { detail, bubbles, composed } = await event;
    expect(detail).to.deep.equal({ email: 'ada@example.com', method: 'password' });
    expect(bubbles && composed).to.equal(true);
    expect(api.last('POST', '/api/signup')!.body).to.deep.equal({
      email: 'ada@example.com',
      password: 'correct horse battery',
      organization: 'default',
      locale: 'en',
    });

    await shown(el, 'Check your email inbox for a verification message');
    const heading = shadow(el).querySelector('h2')!;
    expect(heading.textContent).to.equal('Check your email inbox for a verification message');
    await waitUntil(() => shadow(el).activeElement === heading, 'heading not focused');
    // The lead, the code field and "Resend email" come in a chunk of their own, fetched during the sign-up.
    await shown(el, 'ada@example.com');
    await shown(el, 'Resend email');
    expect(button(el, 'Resend email').disabled).to.equal(false);
    expect(button(el, 'Use a different email')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('sends the redirect attribute along', async () => {
    const api = new FakeApi().reply('POST', '/api/signup', 202, ACCEPTED);
    const el = await mountSignup(api, html`<perso-signup redirect="https://app.example/welcome"></perso-signup>`);
    await shown(el, 'Create account');
    fill(el, 'ada@example.com', 'correct horse battery');
    submit(el);
    await shown(el, 'Check your email inbox');
    expect(api.last('POST', '/api/signup')!.body).to.include({ redirect: 'https://app.example/welcome' });
  });

  it('shows 422 field messages next to their fields and emits perso-error', async () => {
    const api = new FakeApi().handle('POST', '/api/signup', () =>
      apiError(422, 'validation_failed', 'Check the highlighted fields.', { fields: { email: 'This email domain does not accept mail.' } }),
    );
    const el = await formReady(api);
    fill(el, 'ada@example.com', 'correct horse battery');
    const event = oneEvent(el, 'perso-error');
    submit(el);
    expect((await event).detail.code).to.equal('validation_failed');
    await shown(el, 'This email domain does not accept mail.');
    const email = input(el, 'Email');
    expect(email.getAttribute('aria-invalid')).to.equal('true');
    expect(shadow(el).getElementById(email.getAttribute('aria-describedby')!)!.textContent).to.equal('This email domain does not accept mail.');
    expect(input(el, 'Password').getAttribute('aria-invalid')).to.equal('false');
    await expect(el).to.be.accessible();
  });

  it("shows a 422's field message in the page's language: Korean gets the kit's sentence, not the server's English", async () => {
    const api = new FakeApi().handle('POST', '/api/signup', () =>
      apiError(422, 'validation_failed', 'Check the highlighted fields.', { fields: { email: 'Invalid email address.' } }),
    );
    const el = await mountSignup(api, html`<perso-signup lang="ko"></perso-signup>`);
    await shown(el, '계정 만들기');
    type(input(el, '이메일'), 'ada@example.com');
    type(input(el, '비밀번호'), 'correct horse battery');
    button(el, '계정 만들기').click();
    await shown(el, 'name@example.com 같은 올바른 이메일 주소를 입력하세요.');
    expect(text(el)).not.to.contain('Invalid email address.');
    expect(input(el, '이메일').getAttribute('aria-invalid')).to.equal('true');
  });

  it('says "Too many attempts" on 429 using Retry-After', async () => {
    const api = new FakeApi().handle('POST', '/api/signup', () =>
      apiError(429, 'rate_limited', 'Slow down.', { headers: { 'retry-after': '30' } }),
    );
    const el = await formReady(api);
    fill(el, 'ada@example.com', 'correct horse battery');
    const event = oneEvent(el, 'perso-error');
    submit(el);
    expect((await event).detail).to.deep.equal({ code: 'rate_limited', message: 'Too many attempts. Try again in 30 seconds.' });
    await shown(el, 'Too many attempts. Try again in 30 seconds.');
    expect(alertText(el)).to.equal('Too many attempts. Try again in 30 seconds.');
    expect(button(el, 'Create account').disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('counts a rate limit down, keeps focus meaningful, then clears the alert and enables the button', async () => {
    const api = new FakeApi().handle('POST', '/api/signup', () => apiError(429, 'rate_limited', 'Slow down.', { headers: { 'retry-after': '2' } }));
    const el = await formReady(api);
    fill(el, 'ada@example.com', 'correct horse battery');
    button(el, 'Create account').focus();
    submit(el);
    await shown(el, 'Too many attempts. Try again in 2 seconds.');
    // The disabled button cannot hold focus: the alert that says how long does.
    await waitUntil(() => shadow(el).activeElement?.classList.contains('alert'), `focus is on ${document.activeElement?.tagName}`);
    // Announced once when it appears, not at every tick.
    expect(shadow(el).querySelector('.alert')!.getAttribute('aria-live')).to.equal('off');
    await shown(el, 'Too many attempts. Try again in 1 second.');
    await waitUntil(() => !button(el, 'Create account').disabled, 'the button stayed disabled', { timeout: 2500 });
    expect(alertText(el)).to.equal(undefined);
    await waitUntil(() => shadow(el).activeElement === button(el, 'Create account'), 'focus did not return to the button');
  });

  it('counts down in the page language (Korean)', async () => {
    const api = new FakeApi().handle('POST', '/api/signup', () => apiError(429, 'rate_limited', 'Slow down.', { headers: { 'retry-after': '900' } }));
    const el = await formReady(api);
    el.lang = 'ko';
    await shown(el, '계정 만들기');
    type(input(el, '이메일'), 'ada@example.com');
    type(input(el, '비밀번호'), 'correct horse battery');
    button(el, '계정 만들기').click();
    await waitUntil(() => (alertText(el) ?? '').includes('15분'), `alert: ${alertText(el)}`);
  });

  it('says the server could not be reached when the network is down', async () => {
    const api = new FakeApi().fail('POST', '/api/signup');
    const el = await formReady(api);
    fill(el, 'ada@example.com', 'correct horse battery');
    const event = oneEvent(el, 'perso-error');
    submit(el);
    expect((await event).detail.code).to.equal('network_error');
    await shown(el, 'Could not reach the server. Check your connection and try again.');
    expect(input(el, 'Email').value).to.equal('ada@example.com');
    await expect(el).to.be.accessible();
  });
});

describe('<perso-signup> check your inbox', () => {
  it('resends the mail and then counts down before the next resend', async () => {
    const api = new FakeApi().reply('POST', '/api/verify-email/resend', 202);
    const el = await signedUp(api);
    button(el, 'Resend email').click();
    await shown(el, 'We sent a new verification email to ada@example.com.');
    expect(api.last('POST', '/api/verify-email/resend')!.body).to.deep.equal({ attempt: 'att_1' });
    const resend = button(el, 'Resend email');
    expect(resend.textContent!.trim()).to.match(/^Resend email \((30|29) s\)$/);
    expect(resend.disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('honours Retry-After on a rate-limited resend, then allows it again', async () => {
    const api = new FakeApi().handle('POST', '/api/verify-email/resend', () =>
      apiError(429, 'rate_limited', 'Slow down.', { headers: { 'retry-after': '1' } }),
    );
    const el = await signedUp(api);
    const event = oneEvent(el, 'perso-error');
    button(el, 'Resend email').click();
    expect((await event).detail.code).to.equal('rate_limited');
    await shown(el, 'Too many attempts.');
    expect(button(el, 'Resend email').textContent!.trim()).to.equal('Resend email (1 s)');
    expect(button(el, 'Resend email').disabled).to.equal(true);
    await expect(el).to.be.accessible();
    await waitUntil(() => !button(el, 'Resend email').disabled, 'cooldown never ended', { timeout: 2500 });
    expect(button(el, 'Resend email').textContent!.trim()).to.equal('Resend email');
  });

  it('goes back to the form with the email kept when using a different email', async () => {
    const el = await signedUp();
    button(el, 'Use a different email').click();
    await shown(el, 'Create account');
    expect(input(el, 'Email').value).to.equal('ada@example.com');
    expect(input(el, 'Password').value).to.equal('');
    await waitUntil(() => shadow(el).activeElement === input(el, 'Email'), 'email field not focused');
  });
});

describe('<perso-signup> verification code', () => {
  const verified = (api: FakeApi) => api.reply('POST', '/api/verify-email', 200, { user: testUser });

  it('shows the code field, then signs in with the code and the attempt id', async () => {
    const api = verified(new FakeApi());
    const el = await signedUp(api);
    expect(input(el, 'Verification code').autocomplete).to.equal('one-time-code');
    expect(input(el, 'Verification code').inputMode).to.equal('numeric');
    await expect(el).to.be.accessible();
    type(input(el, 'Verification code'), '123 456');
    const event = oneEvent(el, 'perso-signed-in');
    button(el, 'Verify').click();
    expect((await event).detail).to.deep.equal({ user: testUser });
    expect(api.last('POST', '/api/verify-email')!.body).to.deep.equal({ attempt: 'att_1', code: '123456' });
    await shown(el, 'Signed in as ada@example.com');
    await waitUntil(() => shadow(el).activeElement === shadow(el).querySelector('h2'), 'heading not focused');
  });

  it('checks the code before sending it', async () => {
    const api = verified(new FakeApi());
    const el = await signedUp(api);
    button(el, 'Verify').click();
    await shown(el, 'Enter the 6-digit code from the email.');
    type(input(el, 'Verification code'), '12345');
    button(el, 'Verify').click();
    await shown(el, 'The code is 6 digits, like 123456.');
    expect(input(el, 'Verification code').getAttribute('aria-invalid')).to.equal('true');
    await waitUntil(() => shadow(el).activeElement === input(el, 'Verification code'), 'code field not focused');
    expect(api.callsTo('POST', '/api/verify-email')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('says a wrong code under the field and keeps the step', async () => {
    const api = new FakeApi().handle('POST', '/api/verify-email', () => apiError(400, 'invalid_code', 'Wrong code.'));
    const el = await signedUp(api);
    type(input(el, 'Verification code'), '000000');
    const event = oneEvent(el, 'perso-error');
    button(el, 'Verify').click();
    expect((await event).detail.code).to.equal('invalid_code');
    await shown(el, 'That code is not right.');
    expect(shadow(el).getElementById('code-error')!.textContent).to.contain('That code is not right.');
    await waitUntil(() => shadow(el).activeElement === input(el, 'Verification code'), 'code field not focused');
    await expect(el).to.be.accessible();
  });

  it('explains a closed attempt in the alert', async () => {
    const api = new FakeApi().handle('POST', '/api/verify-email', () => apiError(400, 'attempt_closed', 'Closed.'));
    const el = await signedUp(api);
    type(input(el, 'Verification code'), '000000');
    button(el, 'Verify').click();
    await shown(el, 'Sign up again to get a new code.');
    expect(alertText(el)).to.contain('This sign-up can no longer be completed.');
  });

  it('says when the server held the mail back, at sign-up and at resend', async () => {
    const api = new FakeApi().reply('POST', '/api/signup', 202, { ...ACCEPTED, mailHeld: true });
    const el = await formReady(api);
    fill(el, 'ada@example.com', 'correct horse battery');
    submit(el);
    await shown(el, 'We already sent several emails to this address. Check your inbox, or try again later.');

    const api2 = new FakeApi().reply('POST', '/api/verify-email/resend', 202, { status: 'verification_sent', mailHeld: true });
    const el2 = await signedUp(api2);
    expect(text(el2)).not.to.contain('We already sent several emails');
    button(el2, 'Resend email').click();
    await shown(el2, 'We already sent several emails to this address.');
  });

  it('sends the language of the page as the mail locale', async () => {
    const api = new FakeApi().reply('POST', '/api/signup', 202, ACCEPTED);
    const provider = await mount<HTMLElement>(html`<div lang="ko-KR"><perso-signup></perso-signup></div>`, api.client);
    const el = provider.querySelector('perso-signup')!;
    await waitUntil(() => shadow(el).querySelector('button[type=submit]'), 'form never shown');
    type(input(el, '이메일'), 'ada@example.com');
    type(input(el, '비밀번호'), 'correct horse battery');
    button(el, '계정 만들기').click();
    await waitUntil(() => api.last('POST', '/api/signup'), 'sign-up not sent');
    expect(api.last('POST', '/api/signup')!.body).to.include({ locale: 'ko' });
  });
});

describe('<perso-signup> completed in another tab', () => {
  it('moves on when another tab says so on the perso-session channel', async () => {
    const api = new FakeApi();
    const el = await signedUp(api);
    api.reply('GET', '/api/session', 200, { user: testUser });
    const event = oneEvent(el, 'perso-signed-in');
    const channel = new BroadcastChannel('perso-session');
    channel.postMessage({ type: 'signed-in' });
    channel.close();
    expect((await event).detail).to.deep.equal({ user: testUser });
    await shown(el, 'Signed in as ada@example.com');
    await waitUntil(() => shadow(el).activeElement === shadow(el).querySelector('h2'), 'heading not focused');
  });

  it('re-checks the session when the page gets focus back', async () => {
    const api = new FakeApi();
    const el = await signedUp(api);
    api.reply('GET', '/api/session', 200, { user: testUser });
    const before = api.callsTo('GET', '/api/session').length;
    window.dispatchEvent(new Event('focus'));
    await shown(el, 'Signed in as ada@example.com');
    expect(api.callsTo('GET', '/api/session').length).to.equal(before + 1);
  });
});

describe('<perso-signup> signed in', () => {
  it('shows who is signed in and signs out', async () => {
    const api = new FakeApi().reply('GET', '/api/session', 200, { user: testUser }).reply('POST', '/api/signout', 204);
    const el = await mountSignup(api);
    await shown(el, 'Signed in as ada@example.com');
    expect(has(el, 'form')).to.equal(false);
    await expect(el).to.be.accessible();
    button(el, 'Sign out').click();
    await shown(el, 'Create account');
    expect(api.callsTo('POST', '/api/signout')).to.have.length(1);
    await waitUntil(() => shadow(el).activeElement === shadow(el).querySelector('h2'), 'heading not focused');
  });

  it('follows a sign-in made through the same client elsewhere on the page', async () => {
    const api = new FakeApi().reply('POST', '/api/signin', 200, { user: testUser });
    const el = await formReady(api);
    await api.client.signIn('ada@example.com', 'pw');
    await shown(el, 'Signed in as ada@example.com');
  });
});
