import { expect, html, waitUntil } from '@open-wc/testing';
import '../../components/signin/perso-signin.js';
import '../../components/api-keys/perso-api-keys.js';
import type { PersoSignin } from '../../components/signin/perso-signin.js';
import type { PersoApiKeys } from '../../components/api-keys/perso-api-keys.js';
import { Localizer, loadErrorMessages, registerTranslation } from '../../components/base/localize.js';
import { en, type MessageKey } from '../../components/base/translations/en.js';
import { codeStepEn } from '../../components/base/translations/en-code-step.js';
import { errorsEn } from '../../components/base/translations/en-errors.js';
import { keyListEn } from '../../components/base/translations/en-key-list.js';
import { passkeyListEn } from '../../components/base/translations/en-passkey-list.js';
import { resetEn } from '../../components/base/translations/en-reset.js';
import { ko } from '../../components/base/translations/ko.js';
import { describeError } from '../../components/auth/errors.js';
import { ApiError } from '../../components/client/api-error.js';
import { errorMessages } from '../../server/errors.js';
import { FakeApi, testUser } from './helpers/fake-api.js';
import { input, mount, shown, text } from './helpers/mount.js';

/** Codes the kit itself produces when there is no server answer to read. */
const CLIENT_CODES = ['network_error', 'unexpected_response', 'unexpected'];

describe('translations', () => {
  it('have a key for every server error code, in English and Korean', () => {
    const codes = [...Object.keys(errorMessages), ...CLIENT_CODES];
    // The client's own codes are in the core strings, the server's in the chunk of the first failure.
    const english = { ...en, ...errorsEn };
    const missing = codes.flatMap((code) => [
      ...(`error.${code}` in english ? [] : [`en: error.${code}`]),
      ...(`error.${code}` in ko ? [] : [`ko: error.${code}`]),
    ]);
    expect(missing).to.deep.equal([]);
  });

  it('also cover the codes of the accounts redesign and the hardening work', () => {
    for (const code of ['other_browser', 'invalid_code', 'attempt_closed', 'busy', 'too_many_keys', 'unknown_organization']) {
      expect(`error.${code}` in errorsEn, code).to.equal(true);
    }
  });

  it('leave no Korean string in English and keep every placeholder', () => {
    // The core strings and those the lazily loaded screens bring.
    const english: Record<MessageKey, string> = { ...en, ...errorsEn, ...codeStepEn, ...keyListEn, ...passkeyListEn, ...resetEn };
    for (const key of Object.keys(english) as MessageKey[]) {
      const placeholders = (value: string) => [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(ko[key]), key).to.deep.equal(placeholders(english[key]));
      if (!/^(keys\.copyManual)$/.test(key)) expect(/[가-힣]/.test(ko[key]), `${key} is not Korean`).to.equal(true);
    }
  });
});

describe('Localizer', () => {
  afterEach(() => registerTranslation('en', { 'signin.heading': en['signin.heading'] }));

  it('fills placeholders and maps error codes, falling back to the server sentence for unknown codes', async () => {
    const t = new Localizer('en');
    expect(t.term('social.continue', { provider: 'GitHub' })).to.equal('Continue with GitHub');
    await loadErrorMessages();
    expect(t.error('invalid_credentials', 'server words')).to.equal(errorsEn['error.invalid_credentials']);
    expect(t.error('some_new_code', 'server words')).to.equal('server words');
  });

  it('lets a host override one string without losing the others', () => {
    registerTranslation('en', { 'signin.heading': 'Log in' });
    registerTranslation('en-GB', { 'signup.heading': en['signup.heading'] });
    const t = new Localizer('en-US');
    expect(t.term('signin.heading')).to.equal('Log in');
    expect(t.term('signup.heading')).to.equal('Create your account');
  });

  it('chooses plural forms by the language', async () => {
    // The only plural strings are the keys table's, which come with its chunk.
    await import('../../components/api-keys/key-list.js');
    expect(new Localizer('en').plural('keys.usage', 1)).to.equal('1 request in the last 30 days');
    expect(new Localizer('en').plural('keys.usage', 1234)).to.equal('1,234 requests in the last 30 days');
    registerTranslation('ko', ko);
    expect(new Localizer('ko').plural('keys.usage', 1)).to.equal('최근 30일 동안 요청 1건');
  });

  it('formats dates, relative times and waits in the language', () => {
    const iso = '2026-03-05T12:00:00.000Z';
    expect(new Localizer('en').date(iso)).to.equal('Mar 5, 2026');
    expect(new Localizer('ko').date(iso)).to.equal('2026. 3. 5.');
    expect(new Localizer('ko').relativeTime(-1, 'day')).to.equal('어제');
    expect(new Localizer('en').wait(42)).to.equal('42 seconds');
    expect(new Localizer('en').wait(900)).to.equal('15 minutes');
    expect(new Localizer('ko').wait(900)).to.equal('15분');
  });

  it('puts the wait of a 429 in the sentence, and replaces server field messages outside English', async () => {
    await loadErrorMessages();
    const limited = new ApiError(429, 'rate_limited', 'Slow down.', {}, 900);
    expect(describeError(limited, new Localizer('en')).message).to.equal('Too many attempts. Try again in 15 minutes.');
    expect(describeError(limited, new Localizer('ko')).message).to.equal('시도 횟수가 너무 많아요. 15분 후에 다시 시도하세요.');
    expect(new Localizer('en').field('email', 'Server says no.')).to.equal('Server says no.');
    expect(new Localizer('ko').field('email', 'Server says no.')).to.equal(ko['validation.server.email']);
    expect(new Localizer('ko').field('nickname', 'Server says no.')).to.equal('Server says no.');
  });
});

describe('element language', () => {
  afterEach(() => document.documentElement.setAttribute('lang', 'en'));

  it('follows the nearest lang, loads Korean on demand and re-renders when lang changes', async () => {
    const api = new FakeApi();
    const wrapper = await mount<HTMLElement>(html`<div lang="en"><perso-signin></perso-signin></div>`, api.client);
    const el = wrapper.querySelector<PersoSignin>('perso-signin')!;
    await shown(el, 'Forgot password?');
    expect(input(el, 'Email')).to.exist;

    wrapper.setAttribute('lang', 'ko');
    await shown(el, '비밀번호를 잊으셨나요?');
    expect(input(el, '이메일')).to.exist;
    expect(input(el, '비밀번호')).to.exist;
    await expect(el).to.be.accessible();

    el.setAttribute('lang', 'en');
    await shown(el, 'Forgot password?');
    el.removeAttribute('lang');
    await shown(el, '비밀번호를 잊으셨나요?');
  });

  it('falls back to <html lang>', async () => {
    document.documentElement.setAttribute('lang', 'ko-KR');
    const el = await mount<PersoSignin>(html`<perso-signin></perso-signin>`, new FakeApi().client);
    await shown(el, '로그인');
    document.documentElement.setAttribute('lang', 'en');
    await shown(el, 'Forgot password?');
  });

  it('shows key dates and counts in Korean', async () => {
    const api = new FakeApi()
      .reply('GET', '/api/session', 200, { user: testUser })
      .reply('GET', '/api/keys', 200, {
        keys: [
          { id: 'k1', name: 'Prod', maskedKey: 'pak-a1b2…9f0e', expiresAt: null, lastUsedAt: null, createdAt: '2026-03-05T12:00:00.000Z', usage: [...Array(29).fill(0), 1] },
        ],
      });
    const el = await mount<PersoApiKeys>(html`<perso-api-keys lang="ko"></perso-api-keys>`, api.client);
    await shown(el, '내 API 키');
    await waitUntil(() => text(el).includes('2026. 3. 5.'), `no Korean date: ${text(el)}`);
    expect(text(el)).to.contain('만료 없음');
    expect(text(el)).to.contain('아직 사용 안 함');
    expect(el.shadowRoot!.querySelector('[part~="sparkline"]')!.getAttribute('aria-label')).to.equal('최근 30일 동안 요청 1건');
  });
});
