// `seq` orders keys created in the same millisecond by insertion (SQLite has its rowid for that;
// PostgreSQL's physical order means nothing).
export default /* sql */ `
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  key_hash bytea NOT NULL UNIQUE,
  key_start text NOT NULL,
  key_end text NOT NULL,
  expires_at bigint,
  last_used_at bigint,
  created_at bigint NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at DESC, seq DESC);

CREATE TABLE api_key_usage (
  key_id text NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
  day text NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (key_id, day)
);
`;
