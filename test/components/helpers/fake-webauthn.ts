/**
 * Stands in for the platform authenticator behind `navigator.credentials` in component tests:
 * answers `create()` and `get()` with credential-shaped objects, or fails as a browser does
 * (`NotAllowedError` when cancelled, `InvalidStateError` when already registered). The real
 * ceremony with Chromium's virtual authenticator is in the e2e suite.
 */
const bytes = (text: string) => new TextEncoder().encode(text).buffer;

export interface FakeWebAuthn {
  /** The options of every `create()` and `get()` call, in order. */
  calls: { kind: 'create' | 'get'; options: CredentialCreationOptions | CredentialRequestOptions }[];
  /** What `signalUnknownCredential` was told. */
  signals: { rpId: string; credentialId: string }[];
  restore(): void;
}

export function fakeWebAuthn(failWith?: { create?: string; get?: string }): FakeWebAuthn {
  const credentials = navigator.credentials;
  const originalCreate = credentials.create;
  const originalGet = credentials.get;
  const PKC = PublicKeyCredential as unknown as Record<string, unknown>;
  const originalSignal = PKC.signalUnknownCredential;
  const fake: FakeWebAuthn = {
    calls: [],
    signals: [],
    restore() {
      credentials.create = originalCreate;
      credentials.get = originalGet;
      PKC.signalUnknownCredential = originalSignal;
    },
  };
  const fail = (name: string) => Promise.reject(new DOMException(`${name} from the fake authenticator`, name));

  credentials.create = (options?: CredentialCreationOptions) => {
    fake.calls.push({ kind: 'create', options: options! });
    if (failWith?.create) return fail(failWith.create);
    return Promise.resolve({
      id: 'bmV3LWNyZWQ',
      rawId: bytes('new-cred'),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: { clientDataJSON: bytes('{}'), attestationObject: bytes('attestation'), getTransports: () => ['internal'] },
      getClientExtensionResults: () => ({}),
    } as unknown as Credential);
  };
  credentials.get = (options?: CredentialRequestOptions) => {
    fake.calls.push({ kind: 'get', options: options! });
    // A conditional request waits for the person to pick a passkey in the autofill, or for its abort.
    if (options?.mediation === 'conditional') {
      return new Promise((_resolve, reject) => {
        options.signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
      });
    }
    if (failWith?.get) return fail(failWith.get);
    return Promise.resolve({
      id: 'a25vd24',
      rawId: bytes('known'),
      type: 'public-key',
      response: { clientDataJSON: bytes('{}'), authenticatorData: bytes('auth'), signature: bytes('sig'), userHandle: bytes('user') },
      getClientExtensionResults: () => ({}),
    } as unknown as Credential);
  };
  PKC.signalUnknownCredential = (options: { rpId: string; credentialId: string }) => {
    fake.signals.push(options);
    return Promise.resolve();
  };
  return fake;
}

/** Creation options as the server sends them. */
export const creationOptions = (excludeCredentials: { id: string; type: 'public-key' }[] = []) => ({
  challenge: 'Y2hhbGxlbmdl',
  rp: { id: 'localhost', name: 'Acme' },
  user: { id: 'dXNlcg', name: 'ada@example.com', displayName: '' },
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  timeout: 60_000,
  attestation: 'none',
  excludeCredentials,
  authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
});

export const requestOptions = () => ({ challenge: 'c2lnbmlu', rpId: 'localhost', timeout: 60_000, userVerification: 'preferred' });
