// Fixed-window counters shared by every instance (PostgresRateLimiter): one row per limiter
// and hashed key, so a long key costs what a short one does. PostgreSQL only: SQLite is one
// process, whose limits stay in memory.
export default /* sql */ `
CREATE TABLE rate_limits (
  limiter text NOT NULL,
  key_hash bytea NOT NULL,
  count integer NOT NULL,
  reset_at bigint NOT NULL,
  PRIMARY KEY (limiter, key_hash)
);
CREATE INDEX rate_limits_reset ON rate_limits (reset_at);
`;
