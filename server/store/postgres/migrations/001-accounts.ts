// Times are epoch milliseconds in `bigint`, as on SQLite, so both stores speak the same numbers.
export default /* sql */ `
CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  organization_id text NOT NULL,
  password_hash text,
  email_verified_at bigint,
  created_at bigint NOT NULL
);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
`;
