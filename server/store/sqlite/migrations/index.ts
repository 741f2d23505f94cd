import accounts from './001-accounts.js';
import apiKeys from './002-api-keys.js';
import attempts from './003-attempts-verifications-mail.js';
import passkeys from './004-passkeys.js';
import identities from './005-identities.js';
import keyRevocations from './006-key-revocations.js';
import keyAndPasskeyOrder from './007-key-and-passkey-order.js';
import keyIndexInstances from './008-key-index-instances.js';

/** Numbered schema migrations, applied in order at start-up; never edit one that has shipped. */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'accounts', sql: accounts },
  { version: 2, name: 'api-keys', sql: apiKeys },
  { version: 3, name: 'attempts-verifications-mail', sql: attempts },
  { version: 4, name: 'passkeys', sql: passkeys },
  { version: 5, name: 'identities', sql: identities },
  { version: 6, name: 'key-revocations', sql: keyRevocations },
  { version: 7, name: 'key-and-passkey-order', sql: keyAndPasskeyOrder },
  { version: 8, name: 'key-index-instances', sql: keyIndexInstances },
];
