import { expect } from 'vitest';
import { SoftAuthenticator } from './authenticator.js';
import { createHarness, type Harness, ORIGIN, testConfig } from './helpers.js';

type Json = Record<string, unknown>;

/** A harness whose default organization has passkeys on. */
export const passkeyHarness = (): Harness =>
  createHarness({ config: testConfig({}, { organizations: [{ id: 'default', name: 'Perso', methods: { passkey: true } }] }) });

/**
 * One browser: its own session, sign-up and WebAuthn cookies and its own authenticator, so a
 * test can play the owner and a stranger on one server.
 */
export class Browser {
  session?: string;
  signup?: string;
  webauthn?: string;

  constructor(
    private readonly h: Harness,
    readonly authenticator = new SoftAuthenticator(ORIGIN),
  ) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const jar = [this.session, this.signup, this.webauthn].filter(Boolean).join('; ');
    this.h.cookie = this.session;
    this.h.signupCookie = this.signup;
    const response = await this.h.call(method, path, body, { ...(jar ? { cookie: jar } : {}), ...headers });
    this.session = this.h.cookie;
    this.signup = this.h.signupCookie;
    for (const line of response.headers.getSetCookie()) {
      const value = line.split(';')[0]!;
      if (value.startsWith('perso_webauthn=')) this.webauthn = value;
    }
    return response;
  }

  async options(path: string, body: unknown = {}): Promise<Json> {
    const response = await this.call('POST', path, body);
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { options: Json }).options;
  }

  /** Asks for sign-up options and answers them; the response is not sent yet. */
  async passkeyForSignUp(email: string): Promise<Json> {
    return this.authenticator.register(await this.options('/api/passkeys/signup/options', { email }));
  }

  /** A whole passkey sign-up: options, the authenticator, verify. */
  async signUpWithPasskey(email: string): Promise<{ attempt: string }> {
    const response = await this.call('POST', '/api/passkeys/signup/verify', { email, response: await this.passkeyForSignUp(email) });
    expect(response.status, await response.clone().text()).toBe(202);
    return (await response.json()) as { attempt: string };
  }

  /** A passkey sign-up completed by its link in this browser; returns the new user. */
  async signedUpWithPasskey(email: string): Promise<{ id: string; email: string }> {
    await this.signUpWithPasskey(email);
    const response = await this.call('POST', '/api/verify-email', { token: this.h.lastToken(email) });
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { user: { id: string; email: string } }).user;
  }

  async signInWithPasskey(bend?: Parameters<SoftAuthenticator['authenticate']>[1]): Promise<Response> {
    const options = await this.options('/api/passkeys/signin/options');
    return this.call('POST', '/api/passkeys/signin/verify', { response: this.authenticator.authenticate(options, bend) });
  }

  async addPasskey(authenticator = this.authenticator): Promise<Response> {
    const options = await this.options('/api/passkeys/options');
    return this.call('POST', '/api/passkeys', { response: authenticator.register(options) });
  }

  async passkeys(): Promise<{ id: string; name: string; credentialId: string; lastUsedAt: string | null }[]> {
    const response = await this.call('GET', '/api/passkeys');
    expect(response.status).toBe(200);
    return ((await response.json()) as { passkeys: { id: string; name: string; credentialId: string; lastUsedAt: string | null }[] }).passkeys;
  }
}
