import { type AuthenticatorTransport, generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { randomBytes, randomUUID } from 'node:crypto';
import type { PasskeyRecord, UserRecord } from '../store/types.js';
import type { AccountDeps } from './deps.js';
import { AccountError } from './errors.js';
import { checkRegistration } from './passkeys.js';
import { consumeChallenge, relyingParty, storeChallenge, webauthnBinding } from './webauthn.js';

function organizationOf(deps: AccountDeps, user: UserRecord) {
  const organization = deps.config.organizations.get(user.organizationId);
  if (!organization) throw new AccountError('unknown_organization');
  return organization;
}

/**
 * Creation options for another passkey of a signed-in user. Every passkey of an account shares
 * one user handle, so an authenticator keeps one entry per account, and the ones already
 * registered are excluded: the browser then says "already registered on this device".
 */
export async function addPasskeyOptions(
  deps: AccountDeps,
  input: { user: UserRecord; binding?: string },
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; binding: string }> {
  const { user } = input;
  const rp = relyingParty(deps.config, organizationOf(deps, user));
  const existing = await deps.store.listPasskeys(user.id);
  const handle = existing[0]?.userHandle;
  const options = await generateRegistrationOptions({
    rpID: rp.rpID,
    rpName: rp.rpName,
    userName: user.email,
    userID: handle ? new Uint8Array(Buffer.from(handle, 'base64url')) : randomBytes(16),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  const binding = webauthnBinding(input.binding);
  await storeChallenge(deps, { kind: 'webauthn_add', binding, challenge: options.challenge, subject: user.id, payload: { userHandle: options.user.id } });
  return { options, binding };
}

/** Registers the passkey the options above asked for, on the user they were issued to. */
export async function addPasskey(
  deps: AccountDeps,
  input: { user: UserRecord; response: RegistrationResponseJSON; binding?: string; userAgent?: string },
): Promise<PasskeyRecord> {
  const { challenge, verification } = await consumeChallenge(deps, 'webauthn_add', input.binding, input.response);
  if (verification.subject !== input.user.id) throw new AccountError('invalid_challenge');
  const { userHandle } = JSON.parse(verification.payload ?? '{}') as { userHandle: string };
  const rp = relyingParty(deps.config, organizationOf(deps, input.user));
  const pending = await checkRegistration(deps, { response: input.response, challenge, rp, userHandle, userAgent: input.userAgent });
  const passkey: PasskeyRecord = { ...pending, id: randomUUID(), userId: input.user.id, lastUsedAt: null };
  await deps.store.createPasskey(passkey);
  return passkey;
}

/**
 * Removes one of the user's passkeys (`not_found` for anyone else's). The last one goes only
 * when the account also has a password: nobody removes their own last way to sign in.
 */
export async function removePasskey(deps: AccountDeps, input: { userId: string; id: string }): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const passkeys = await tx.listPasskeys(input.userId);
    if (!passkeys.some((p) => p.id === input.id)) throw new AccountError('not_found');
    const user = await tx.findUserById(input.userId);
    if (passkeys.length === 1 && !user?.passwordHash) throw new AccountError('last_sign_in_method');
    await tx.deletePasskey(input.userId, input.id);
  });
}
