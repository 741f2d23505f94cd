import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import { CHALLENGE_TTL_S } from '../auth/webauthn-cookie.js';
import type { AppConfig, Organization } from '../config.js';
import type { VerificationKind, VerificationRecord } from '../store/types.js';
import type { AccountDeps } from './deps.js';
import { AccountError } from './errors.js';

/** A `perso_webauthn` cookie we could have issued: anything else is replaced, not trusted. */
const BINDING_PATTERN = /^[\w-]{43}$/;

export type ChallengeKind = Extract<VerificationKind, `webauthn_${string}`>;

/** Who the browser talks to: one relying party id for the server, origins per organization. */
export function relyingParty(config: AppConfig, organization: Organization) {
  return {
    rpID: config.webauthn.rpId,
    rpName: config.webauthn.rpName ?? organization.name,
    expectedOrigin: [...new Set([config.publicUrl, ...organization.allowedOrigins])],
  };
}

/** The browser's binding if it is one of ours, else a new one (to set as the cookie). */
export const webauthnBinding = (cookie: string | undefined): string => (cookie && BINDING_PATTERN.test(cookie) ? cookie : randomToken());

/**
 * A challenge is stored under the hash of this browser's binding and the challenge itself, so
 * one browser may hold several at once (autofill waiting while a button starts another), and a
 * challenge answered from another browser matches nothing.
 */
const challengeHash = (binding: string, challenge: string) => sha256Hex(`${binding}.${challenge}`);

export async function storeChallenge(
  deps: AccountDeps,
  input: { kind: ChallengeKind; binding: string; challenge: string; subject: string; payload?: unknown },
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.createVerification({
    kind: input.kind,
    secretHash: challengeHash(input.binding, input.challenge),
    subject: input.subject,
    payload: input.payload === undefined ? null : JSON.stringify(input.payload),
    createdAt: now,
    expiresAt: now + CHALLENGE_TTL_S * 1000,
  });
}

/** The challenge the authenticator signed, read from its client data; undefined when unreadable. */
function signedChallenge(response: RegistrationResponseJSON | AuthenticationResponseJSON): string | undefined {
  try {
    const clientData = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof clientData.challenge === 'string' ? clientData.challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Uses up the challenge a response answers, once: replayed, expired, unknown, or issued to
 * another browser, it is refused before any signature is looked at.
 */
export async function consumeChallenge(
  deps: AccountDeps,
  kind: ChallengeKind,
  binding: string | undefined,
  response: RegistrationResponseJSON | AuthenticationResponseJSON,
): Promise<{ challenge: string; verification: VerificationRecord }> {
  const challenge = signedChallenge(response);
  if (!binding || !challenge) throw new AccountError('invalid_challenge');
  const used = await deps.store.consumeVerification(kind, challengeHash(binding, challenge), deps.clock.now());
  if (used.status !== 'consumed') throw new AccountError('invalid_challenge');
  return { challenge, verification: used.verification };
}
