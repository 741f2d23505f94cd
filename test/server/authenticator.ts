import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A software passkey authenticator for server tests: it makes the same bytes a browser and a
 * platform authenticator would (fmt "none" attestation, ES256 assertions), so the server's
 * WebAuthn checks run for real. Each ceremony can be bent (origin, RP id, counter) to test a refusal.
 */

type Json = Record<string, unknown>;

/** The few CBOR shapes WebAuthn needs: unsigned and negative integers, bytes, text, maps. */
function cbor(value: number | string | Uint8Array | Map<number | string, unknown> | Json): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(length, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v as never)])]);
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

interface Credential {
  id: Buffer;
  key: KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
}

export interface Bend {
  origin?: string;
  rpId?: string;
  /** The signature counter to report instead of the next one. */
  counter?: number;
  /** A credential id to claim instead of a new one (what a forged registration would do). */
  credentialId?: Buffer;
}

export class SoftAuthenticator {
  readonly credentials: Credential[] = [];

  constructor(
    readonly origin: string,
    /** Counts signatures like a security key; 0 forever like most platform passkeys when false. */
    private readonly counts = true,
  ) {}

  /** Answers creation options (as `startRegistration` would) with a new resident credential. */
  register(options: Json, bend: Bend = {}): Json {
    const rpId = bend.rpId ?? ((options.rp as Json).id as string);
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const credential: Credential = { id: bend.credentialId ?? randomBytes(16), key: privateKey, rpId, userHandle: (options.user as Json).id as string, counter: 0 };
    const coseKey = new Map<number, unknown>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const authData = Buffer.concat([this.#authHeader(rpId, 0x45, 0), Buffer.alloc(16), idLength, credential.id, cbor(coseKey)]);
    const clientDataJSON = this.#clientData('webauthn.create', options.challenge as string, bend.origin);
    this.credentials.push(credential);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(cbor({ fmt: 'none', attStmt: {}, authData })), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** Answers request options (as `startAuthentication` would) with a credential for their RP id. */
  authenticate(options: Json, bend: Bend = {}, credential = this.credentials.find((c) => c.rpId === (options.rpId as string))): Json {
    if (!credential) throw new Error('no credential for this relying party');
    if (this.counts) credential.counter += 1;
    const counter = bend.counter ?? credential.counter;
    const authData = this.#authHeader(bend.rpId ?? credential.rpId, 0x05, counter);
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge as string, bend.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.key);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), userHandle: credential.userHandle },
      clientExtensionResults: {},
    };
  }

  /** RP id hash, flags (user present, verified, attested data when 0x40), signature counter. */
  #authHeader(rpId: string, flags: number, counter: number): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count]);
  }

  #clientData(type: string, challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}
