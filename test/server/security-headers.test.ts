import { afterEach, describe, expect, it } from 'vitest';
import { bearer, createKey } from './api-keys.helpers.js';
import { createHarness, type Harness, testConfig } from './helpers.js';

const securityHeaderNames = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => !['content-type', 'cache-control', 'content-length', 'www-authenticate', 'vary'].includes(name) && !name.startsWith('access-control')));

describe('security headers on the prebuilt hot answers', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('/health and a 200 from /v1/whoami carry exactly the headers the middleware gives any other response', async () => {
    h = createHarness();
    await h.signUpVerified('ada@example.com');
    const { secret } = await createKey(h);
    const ordinary = await h.app.request('/v1/whoami'); // a 401, answered the ordinary way
    const expected = securityHeaderNames(ordinary);
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['content-security-policy', 'x-content-type-options', 'cross-origin-resource-policy']));

    const health = await h.app.request('/health');
    const whoami = await h.app.request('/v1/whoami', { headers: bearer(secret) });
    expect(whoami.status).toBe(200);
    for (const response of [health, whoami]) {
      expect(securityHeaderNames(response)).toEqual(expected);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('with HTTPS cookies, Strict-Transport-Security is on the hot answers too', async () => {
    h = createHarness({ config: testConfig({ PERSO_PUBLIC_URL: 'https://auth.example.com' }) });
    expect(h.config.cookie.secure).toBe(true);
    const health = await h.app.request('/health');
    expect(health.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });
});
