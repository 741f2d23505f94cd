/**
 * The whole kit: importing this module defines every element (each guarded, so loading it
 * twice or next to a per-element bundle is harmless) and exports the client and types.
 */
export { PersoSignup } from './signup/perso-signup.js';
export { PersoSignin } from './signin/perso-signin.js';
export { PersoApiKeys } from './api-keys/perso-api-keys.js';
export { PersoPasskeys } from './passkeys/perso-passkeys.js';

export { PersoElement } from './base/perso-element.js';
export { PersoClient, type SessionListener } from './client/api-client.js';
export { ApiError } from './client/api-error.js';
export { clientContext, sharedClient } from './client/context.js';
export { Localizer, registerTranslation, type Messages } from './base/localize.js';
export type { MessageKey } from './base/translations/en.js';
export type { ApiKey, CreatedApiKey, ErrorBody, OrganizationConfig, Passkey, PasskeyList, SocialProvider, User } from './client/types.js';
export type {
  PersoErrorDetail,
  PersoEventMap,
  PersoEventName,
  PersoKeyCreatedDetail,
  PersoKeyDeletedDetail,
  PersoPasskeyAddedDetail,
  PersoPasskeyRemovedDetail,
  PersoSignedInDetail,
  PersoSignedOutDetail,
  PersoSignedUpDetail,
  SignOutReason,
  SignUpMethod,
} from './base/events.js';
