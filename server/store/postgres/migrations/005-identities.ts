// Social sign-in: an identity is one provider account (issuer + subject), never an email; it
// belongs to one user. A sign-up attempt may carry the identity to attach once its email is
// verified (a provider that does not vouch for the address), like `passkey` does.
export default /* sql */ `
CREATE TABLE identities (
  provider text NOT NULL,
  subject text NOT NULL,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email text,
  created_at bigint NOT NULL,
  PRIMARY KEY (provider, subject)
);
CREATE INDEX identities_user ON identities (user_id);

ALTER TABLE signup_attempts ADD COLUMN identity text;
`;
