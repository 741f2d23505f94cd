// Revoked keys, numbered, so that every instance can learn what was revoked since the revision
// it last saw. Revisions come from the one-row counter, not a sequence: the counter's row lock
// is held until the revoking transaction commits, so revision n+1 is only handed out once n is
// visible and a reader that has seen n+1 has seen every revision before it (a sequence could
// commit 5 before 4, and a reader at 5 would never look at 4).
export default /* sql */ `
CREATE TABLE key_revocations (
  revision bigint PRIMARY KEY,
  key_hash bytea,
  user_id text,
  at bigint NOT NULL
);
CREATE INDEX key_revocations_at ON key_revocations (at);

CREATE TABLE key_revision (
  id integer PRIMARY KEY CHECK (id = 1),
  revision bigint NOT NULL
);
INSERT INTO key_revision (id, revision) VALUES (1, 0);
`;
