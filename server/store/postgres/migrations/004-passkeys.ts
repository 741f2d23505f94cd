// Passkeys: the credentials of accounts, a sign-up attempt's pending passkey (its credential,
// like `password_hash` is a password attempt's), and what a WebAuthn challenge was issued for.
export default /* sql */ `
CREATE TABLE passkeys (
  id text PRIMARY KEY,
  credential_id text NOT NULL UNIQUE,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  user_handle text NOT NULL,
  public_key bytea NOT NULL,
  counter bigint NOT NULL,
  transports text[] NOT NULL,
  device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up boolean NOT NULL,
  name text NOT NULL,
  created_at bigint NOT NULL,
  last_used_at bigint,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX passkeys_user ON passkeys (user_id, created_at, seq);

ALTER TABLE signup_attempts ADD COLUMN passkey text;
ALTER TABLE verifications ADD COLUMN payload text;
`;
