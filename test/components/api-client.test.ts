import { expect } from '@open-wc/testing';
import { PersoClient } from '../../components/client/api-client.js';
import { ApiError } from '../../components/client/api-error.js';
import { sharedClient } from '../../components/client/context.js';
import { FakeApi, apiError, deferred, json, orgConfig, testUser } from './helpers/fake-api.js';

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('PersoClient requests', () => {
  it('trims trailing slashes from the base URL', () => {
    expect(new PersoClient('http://perso.test///').baseUrl).to.equal('http://perso.test');
  });

  it('reads the config for an encoded organization, with credentials', async () => {
    const seen: RequestInit[] = [];
    const api = new FakeApi();
    const client = new PersoClient('http://perso.test', (input, init) => {
      seen.push(init!);
      return api.fetch(input, init);
    });
    expect(await client.config('a b&c')).to.deep.equal(orgConfig());
    expect(api.last('GET', '/api/config')!.url.search).to.equal('?organization=a%20b%26c');
    expect(seen[0].credentials).to.equal('include');
    expect(seen[0].body).to.equal(undefined);
  });

  it('posts JSON bodies', async () => {
    const seen: RequestInit[] = [];
    const accepted = { status: 'verification_sent', attempt: 'att_1', mailHeld: false };
    const api = new FakeApi().reply('POST', '/api/signup', 202, accepted);
    const client = new PersoClient('http://perso.test', (input, init) => {
      seen.push(init!);
      return api.fetch(input, init);
    });
    expect(await client.signUp({ email: 'a@b.co', password: 'p4ssword!', organization: 'default' })).to.deep.equal(accepted);
    expect(seen[0].method).to.equal('POST');
    expect((seen[0].headers as Record<string, string>)['content-type']).to.equal('application/json');
    expect(api.last('POST', '/api/signup')!.body).to.deep.equal({ email: 'a@b.co', password: 'p4ssword!', organization: 'default' });
  });

  it('accepts empty success bodies, with or without a JSON content type', async () => {
    const api = new FakeApi()
      .handle('POST', '/api/verify-email/resend', () => new Response('', { status: 202, headers: { 'content-type': 'application/json' } }))
      .reply('DELETE', '/api/keys/k%2F1', 204);
    expect(await api.client.resendVerification('att_1')).to.deep.equal({ status: 'verification_sent' });
    expect(await api.client.deleteKey('k/1')).to.equal(undefined);
  });

  it("resends one attempt's mail by its id, or by the cookie when no id is known", async () => {
    const api = new FakeApi().reply('POST', '/api/verify-email/resend', 202, { status: 'verification_sent', mailHeld: true });
    expect(await api.client.resendVerification('att_1')).to.deep.equal({ status: 'verification_sent', mailHeld: true });
    expect(api.last('POST', '/api/verify-email/resend')!.body).to.deep.equal({ attempt: 'att_1' });
    await api.client.resendVerification();
    expect(api.last('POST', '/api/verify-email/resend')!.body).to.deep.equal({});
  });

  it('verifies an attempt with its code and tells session listeners', async () => {
    const api = new FakeApi().reply('POST', '/api/verify-email', 200, { user: testUser });
    await api.client.session();
    const seen: unknown[] = [];
    api.client.onSessionChange((user) => seen.push(user));
    expect(await api.client.verifyEmail({ attempt: 'att_1', code: '123456' })).to.deep.equal(testUser);
    expect(api.last('POST', '/api/verify-email')!.body).to.deep.equal({ attempt: 'att_1', code: '123456' });
    expect(seen).to.deep.equal([testUser]);
  });

  it('asks for a password reset with the mail language', async () => {
    const api = new FakeApi().reply('POST', '/api/password-reset', 202, { status: 'reset_sent' });
    await api.client.requestPasswordReset('a@b.co', 'ko');
    expect(api.last('POST', '/api/password-reset')!.body).to.deep.equal({ email: 'a@b.co', locale: 'ko' });
  });

  it("keeps an error's extra properties, such as the attempt of an unverified sign-in", async () => {
    const api = new FakeApi().handle('POST', '/api/signin', () =>
      json(403, { error: { code: 'email_not_verified', message: 'Verify first.', attempt: 'att_9' } }),
    );
    const error = await rejection(api.client.signIn('a@b.co', 'pw'));
    expect([error.code, error.attempt]).to.deep.equal(['email_not_verified', 'att_9']);
    expect(error.extra).to.deep.equal({ attempt: 'att_9' });
    expect((await rejection(Promise.reject(new ApiError(400, 'invalid_code', 'No.')))).attempt).to.equal(undefined);
  });

  it('turns the error shape into an ApiError with fields and Retry-After', async () => {
    const api = new FakeApi().handle('POST', '/api/signup', () =>
      apiError(422, 'validation_failed', 'Check the fields.', { fields: { password: 'Too short.' }, headers: { 'retry-after': '7' } }),
    );
    const error = await rejection(api.client.signUp({ email: 'a@b.co', password: 'x' }));
    expect(error).to.be.instanceOf(ApiError);
    expect([error.status, error.code, error.message, error.retryAfter]).to.deep.equal([422, 'validation_failed', 'Check the fields.', 7]);
    expect(error.fields).to.deep.equal({ password: 'Too short.' });
    expect(error.isNetworkError).to.equal(false);
  });

  it('copes with an error that is not JSON', async () => {
    const api = new FakeApi().handle('GET', '/api/config', () => new Response('<h1>Bad gateway</h1>', { status: 502 }));
    const error = await rejection(api.client.config('default'));
    expect([error.status, error.code]).to.deep.equal([502, 'unexpected_response']);
    expect(error.fields).to.deep.equal({});
  });

  it('reports an unreachable server as network_error', async () => {
    const api = new FakeApi().fail('GET', '/api/config');
    const error = await rejection(api.client.config('default'));
    expect([error.status, error.code, error.isNetworkError]).to.deep.equal([0, 'network_error', true]);
  });

  it('lets an abort through as an AbortError, not a network error', async () => {
    const controller = new AbortController();
    const client = new PersoClient('http://perso.test', (_input, init) => {
      return new Promise((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    const pending = rejection(client.config('default', controller.signal));
    controller.abort();
    expect((await pending).name).to.equal('AbortError');
  });
});

describe('PersoClient session', () => {
  it('answers null for a 401 session and shares one request between callers', async () => {
    const api = new FakeApi();
    const [a, b] = await Promise.all([api.client.session(), api.client.session()]);
    expect([a, b]).to.deep.equal([null, null]);
    expect(api.callsTo('GET', '/api/session')).to.have.length(1);
    expect(api.client.user).to.equal(null);
  });

  it('broadcasts sign-in and sign-out to every listener, once per change', async () => {
    const api = new FakeApi().reply('POST', '/api/signin', 200, { user: testUser }).reply('POST', '/api/signout', 204);
    const seen: Array<string | null> = [];
    const stop = api.client.onSessionChange((user) => seen.push(user?.email ?? null));
    await api.client.session();
    await api.client.signIn('ada@example.com', 'pw');
    await api.client.session().catch(() => undefined);
    await api.client.signOut();
    stop();
    await api.client.signIn('ada@example.com', 'pw');
    expect(seen).to.deep.equal([null, 'ada@example.com', null]);
  });

  it('notices a lost session when any call answers 401', async () => {
    const api = new FakeApi().reply('GET', '/api/session', 200, { user: testUser }).handle('GET', '/api/keys', () => apiError(401, 'unauthenticated', 'Sign in.'));
    await api.client.session();
    const seen: unknown[] = [];
    api.client.onSessionChange((user) => seen.push(user));
    await rejection(api.client.listKeys());
    expect(seen).to.deep.equal([null]);
  });

  it('does not change the session when sign-in fails', async () => {
    const api = new FakeApi().handle('POST', '/api/signin', () => apiError(401, 'invalid_credentials', 'No.'));
    await api.client.session();
    const seen: unknown[] = [];
    api.client.onSessionChange((user) => seen.push(user));
    const error = await rejection(api.client.signIn('a@b.co', 'nope'));
    expect(error.code).to.equal('invalid_credentials');
    expect(seen).to.deep.equal([]);
  });

  it('hands out one shared client per server URL', () => {
    expect(sharedClient('http://a.test/')).to.equal(sharedClient('http://a.test'));
    expect(sharedClient('http://a.test')).not.to.equal(sharedClient('http://b.test'));
  });
});

describe('FakeApi helper', () => {
  it('holds a request until released and answers unknown routes with 404', async () => {
    const api = new FakeApi();
    const held = api.hold('GET', '/api/keys');
    const settled = deferred<string>();
    api.client.listKeys().then(() => settled.resolve('done'));
    const race = await Promise.race([settled.promise, new Promise((resolve) => setTimeout(() => resolve('pending'), 20))]);
    expect(race).to.equal('pending');
    held.release(json(200, { keys: [] }));
    expect(await settled.promise).to.equal('done');
    expect((await rejection(api.client.deleteKey('x'))).code).to.equal('not_found');
  });
});
