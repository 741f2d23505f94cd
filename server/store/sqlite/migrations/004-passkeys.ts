// Passkeys: the credentials of accounts, a sign-up attempt's pending passkey (its credential,
// like `password_hash` is a password attempt's), and what a WebAuthn challenge was issued for.
export default /* sql */ `
CREATE TABLE passkeys (
  id TEXT PRIMARY KEY,
  credential_id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  user_handle TEXT NOT NULL,
  public_key BLOB NOT NULL,
  counter INTEGER NOT NULL,
  transports TEXT NOT NULL,
  device_type TEXT NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up INTEGER NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX passkeys_user ON passkeys(user_id, created_at);

ALTER TABLE signup_attempts ADD COLUMN passkey TEXT;
ALTER TABLE verifications ADD COLUMN payload TEXT;
`;
