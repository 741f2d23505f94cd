import { ApiError } from '../client/api-error.js';
import type { PasskeyCreationOptions, PasskeyRequestOptions } from '../client/types.js';
import { passkeysSupported } from './passkey-support.js';

/**
 * The browser side of WebAuthn, in the chunks of the passkey screens (passkey-flow.ts,
 * passkey-list.ts). @simplewebauthn/browser is imported on first use only, so pages whose
 * organization has passkeys off never download it.
 */
const library = () => import('@simplewebauthn/browser');

/** Whether passkeys can be offered in the email field's autofill (conditional mediation). */
export async function passkeyAutofillSupported(): Promise<boolean> {
  if (!passkeysSupported()) return false;
  return (await library()).browserSupportsWebAuthnAutofill();
}

/**
 * The browser's reasons, as codes the kit has sentences for. A person cancelling and a timeout
 * both arrive as `NotAllowedError`; the browser does not say which.
 */
function ceremonyError(error: unknown): ApiError {
  const { name, code } = error as { name?: string; code?: string };
  const as = (kind: string) => new ApiError(0, kind, kind);
  if (code === 'ERROR_CEREMONY_ABORTED' || name === 'AbortError') return as('passkey_aborted');
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return as('passkey_registered');
  if (name === 'NotAllowedError') return as('passkey_cancelled');
  return as('passkey_failed');
}

/** Asks the authenticator for a new passkey. */
export async function createPasskey(optionsJSON: PasskeyCreationOptions): Promise<unknown> {
  const { startRegistration } = await library();
  try {
    return await startRegistration({ optionsJSON });
  } catch (error) {
    throw ceremonyError(error);
  }
}

/**
 * Asks for a discoverable passkey: at once (a button), or through the email field's autofill.
 * Starting one cancels any other ceremony on the page, which then ends with `passkey_aborted`.
 */
export async function usePasskey(optionsJSON: PasskeyRequestOptions, autofill = false): Promise<{ id: string }> {
  const { startAuthentication } = await library();
  try {
    // The autocomplete="username webauthn" field is in our shadow root, where the library's
    // own check cannot find it; the browser still offers passkeys there.
    return await startAuthentication({ optionsJSON, useBrowserAutofill: autofill, verifyBrowserAutofillInput: false });
  } catch (error) {
    throw ceremonyError(error);
  }
}

/** Ends a ceremony this page started (an autofill waiting in the email field). */
export async function cancelPasskeyCeremony(): Promise<void> {
  (await library()).WebAuthnAbortService.cancelCeremony();
}

type SignalUnknown = (options: { rpId: string; credentialId: string }) => Promise<void>;

/**
 * Tells the browser a passkey is gone from the server, so its password manager stops offering
 * it. Only some browsers have this; elsewhere the passkey stays listed until the person removes it.
 */
export async function signalRemovedPasskey(rpId: string, credentialId: string): Promise<void> {
  const signal = (globalThis.PublicKeyCredential as unknown as { signalUnknownCredential?: SignalUnknown } | undefined)?.signalUnknownCredential;
  if (typeof signal !== 'function') return;
  await signal.call(globalThis.PublicKeyCredential, { rpId, credentialId }).catch(() => undefined);
}
